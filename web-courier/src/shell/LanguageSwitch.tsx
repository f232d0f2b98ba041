import { otherLang, setLang, t } from '../i18n';

export const LanguageSwitch = () => (
  <button
    type="button"
    class="button button-quiet"
    lang={otherLang()}
    aria-label={t('lang.switchLabel')}
    onClick={() => setLang(otherLang())}
  >
    {t('lang.switch')}
  </button>
);
