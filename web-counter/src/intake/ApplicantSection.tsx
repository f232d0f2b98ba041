import { For, type JSX, Show } from 'solid-js';
import { lang, t } from '../i18n';
import { WarningIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { CommunePicker } from './CommunePicker';
import { FieldError } from './FieldError';
import type { ApplicantForm, Intake } from './store';

type TextKey = Exclude<keyof ApplicantForm, 'sex'>;

const TextField = (props: {
  intake: Intake;
  name: TextKey;
  label: string;
  class?: string;
  type?: string;
  inputmode?: JSX.HTMLAttributes<HTMLInputElement>['inputmode'];
  autocomplete?: string;
  placeholder?: string;
}) => {
  const id = `applicant-${props.name}`;
  const error = () => props.intake.errors()[props.name];
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? 'off'}
        placeholder={props.placeholder}
        value={props.intake.applicant[props.name]}
        onInput={(event) => props.intake.editApplicant(props.name, event.currentTarget.value)}
        aria-invalid={Boolean(error())}
        aria-describedby={error() ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} problem={error()} />
    </div>
  );
};

export const ApplicantSection = (props: { intake: Intake; onIdAccepted: () => void }) => {
  const accept = async (raw: string) => {
    const accepted = raw.includes('|')
      ? await props.intake.acceptQr(raw)
      : await props.intake.acceptCitizenId();
    if (accepted) props.onIdAccepted();
  };

  const onIdKey = (event: KeyboardEvent & { currentTarget: HTMLInputElement }) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void accept(event.currentTarget.value);
  };

  const onIdPaste = (event: ClipboardEvent) => {
    const pasted = event.clipboardData?.getData('text') ?? '';
    if (!pasted.includes('|')) return;
    event.preventDefault();
    props.intake.editApplicant('citizenId', pasted);
    void accept(pasted);
  };

  const onIdBlur = (event: FocusEvent & { currentTarget: HTMLInputElement }) => {
    const value = event.currentTarget.value.trim();
    if (!value) return;
    if (value.includes('|')) void props.intake.acceptQr(value);
    else void props.intake.acceptCitizenId();
  };

  const idError = () => props.intake.errors().citizenId;
  const idDescribedBy = () =>
    ['citizenId-hint', idError() ? 'applicant-citizenId-error' : ''].join(' ').trim();

  return (
    <div class="applicant-grid">
      <div class="field span-2 id-field">
        <label class="field-label" for="applicant-citizenId">
          {t('applicant.citizenId')}
        </label>
        <input
          id="applicant-citizenId"
          name="citizenId"
          autocomplete="off"
          spellcheck={false}
          inputmode="numeric"
          value={props.intake.applicant.citizenId}
          onInput={(event) => props.intake.editApplicant('citizenId', event.currentTarget.value)}
          onKeyDown={onIdKey}
          onPaste={onIdPaste}
          onBlur={onIdBlur}
          aria-invalid={Boolean(idError())}
          aria-describedby={idDescribedBy()}
        />
        <span class="field-hint" id="citizenId-hint">
          {t('applicant.citizenIdHint')}
          <kbd>Enter</kbd>
        </span>
        <FieldError id="applicant-citizenId-error" problem={idError()} />
      </div>
      <TextField intake={props.intake} name="fullName" label={t('applicant.fullName')} class="span-2" />
      <Show when={props.intake.warnings().length > 0}>
        <div class="warnings span-4" role="status">
          <p class="warnings-title">
            <WarningIcon />
            {t('warnings.title')}
          </p>
          <ul>
            <For each={props.intake.warnings()}>
              {(warning) => (
                <li>
                  <span lang={lang()}>{lang() === 'en' ? warning.en : warning.vi}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <p class="lookup-status span-4" aria-live="polite">
        <Show when={props.intake.fromQr()}>
          <span>{t('applicant.qrFilled')} </span>
        </Show>
        <Show when={props.intake.lookingUp()}>
          <span>{t('applicant.lookingUp')}</span>
        </Show>
        <Show when={!props.intake.lookingUp() && props.intake.lookup()}>
          {(found) => <span>{found().applicant ? t('applicant.known') : t('applicant.new')}</span>}
        </Show>
      </p>
      <Show when={props.intake.errors().lookup}>
        {(problem) => (
          <div class="span-4">
            <ProblemNote problem={problem()} />
          </div>
        )}
      </Show>
      <TextField
        intake={props.intake}
        name="dateOfBirth"
        label={t('applicant.dateOfBirth')}
        placeholder={t('applicant.datePlaceholder')}
        inputmode="numeric"
      />
      <div class="field">
        <label class="field-label" for="applicant-sex">
          {t('applicant.sex')}
        </label>
        <select
          id="applicant-sex"
          value={props.intake.applicant.sex}
          onChange={(event) =>
            props.intake.editApplicant('sex', event.currentTarget.value as ApplicantForm['sex'])
          }
          aria-invalid={Boolean(props.intake.errors().sex)}
        >
          <option value="">{t('sex.none')}</option>
          <option value="male">{t('sex.male')}</option>
          <option value="female">{t('sex.female')}</option>
        </select>
        <FieldError id="applicant-sex-error" problem={props.intake.errors().sex} />
      </div>
      <TextField
        intake={props.intake}
        name="phone"
        label={t('applicant.phone')}
        type="tel"
        inputmode="tel"
        autocomplete="off"
      />
      <TextField intake={props.intake} name="email" label={t('applicant.email')} type="email" />
      <TextField intake={props.intake} name="line" label={t('applicant.addressLine')} class="span-2" />
      <div class="field">
        <label class="field-label" for="applicant-province">
          {t('applicant.province')}
        </label>
        <select
          id="applicant-province"
          value={props.intake.applicant.provinceCode}
          onChange={(event) => props.intake.editApplicant('provinceCode', event.currentTarget.value)}
        >
          <For each={props.intake.provinces()}>
            {(province) => <option value={province.code}>{province.name}</option>}
          </For>
        </select>
      </div>
      <CommunePicker
        id="applicant-communeCode"
        label={t('applicant.commune')}
        value={props.intake.applicant.communeCode}
        communes={props.intake
          .communeList()
          .filter((commune) => commune.provinceCode === props.intake.applicant.provinceCode)}
        onChange={(code) => props.intake.editApplicant('communeCode', code)}
        error={props.intake.errors().communeCode}
      />
    </div>
  );
};
