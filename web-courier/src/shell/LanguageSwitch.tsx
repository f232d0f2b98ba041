import { otherLang, setLang, t } from '../i18n';

export const LanguageSwitch = (props: { compact?: boolean }) => (
  <button
    type="button"
    classList={{ button: true, 'button-quiet': !props.compact, 'button-header': props.compact }}
    lang={otherLang()}
    aria-label={t('lang.switchLabel')}
    onClick={() => setLang(otherLang())}
  >
    {props.compact ? otherLang().toUpperCase() : t('lang.switch')}
  </button>
);
