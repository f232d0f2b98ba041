import { For, type JSX, Show } from 'solid-js';
import type { VerifiedSignature } from '../api';
import { formatDateTime } from '../format';
import { lang, t } from '../i18n';
import { CheckIcon, CloseIcon } from '../icons';

export const Verdict = (props: { ok: boolean; yes: string; no: string }) => (
  <span class="verdict" classList={{ 'verdict-ok': props.ok, 'verdict-bad': !props.ok }}>
    <Show when={props.ok} fallback={<CloseIcon />}>
      <CheckIcon />
    </Show>
    {props.ok ? props.yes : props.no}
  </span>
);

const Row = (props: { label: string; children: JSX.Element }) => (
  <>
    <dt>{props.label}</dt>
    <dd>{props.children}</dd>
  </>
);

const permissionText = (permission: 1 | 2 | 3) =>
  t('verify.certification', {
    extra:
      permission === 1
        ? ''
        : permission === 2
          ? t('verify.certificationForms')
          : t('verify.certificationAnnotations'),
  });

export const SignatureCard = (props: { signature: VerifiedSignature; number: number }) => {
  const valid = () => t('verify.valid');
  const invalid = () => t('verify.invalid');
  const passed = () => props.signature.indication === 'TOTAL-PASSED';
  return (
    <article class="signature-card" aria-labelledby={`signature-${props.number}`}>
      <h2 id={`signature-${props.number}`} class="section-title">
        {t('verify.signature', { n: props.number })}
        <Verdict
          ok={passed()}
          yes={valid()}
          no={props.signature.indication === 'INDETERMINATE' ? t('verify.indeterminate') : invalid()}
        />
      </h2>
      <dl class="facts signature-facts">
        <Row label={t('verify.verdict')}>
          <p class="signature-verdict">{props.signature.message[lang()]}</p>
          <span class="mono muted">
            {props.signature.indication}
            {props.signature.subIndication ? ` / ${props.signature.subIndication}` : ''}
          </span>
        </Row>
        <Row label={t('verify.after')}>
          <Verdict
            ok={!props.signature.after.modified}
            yes={props.signature.after.text[lang()]}
            no={props.signature.after.text[lang()]}
          />
        </Row>
        <Row label={t('verify.signer')}>
          <strong>{props.signature.signer.commonName || t('verify.unknown')}</strong>
        </Row>
        <Row label={t('verify.organization')}>
          {props.signature.signer.organization || t('verify.unknown')}
        </Row>
        <Row label={t('verify.serial')}>
          <span class="mono">{props.signature.signer.serial || t('verify.unknown')}</span>
        </Row>
        <Row label={t('verify.signedAt')}>
          <Show when={props.signature.signedAt} fallback={t('verify.unknown')}>
            {(at) => (
              <>
                <span class="numeric strong">{formatDateTime(at())}</span>{' '}
                <span class="muted">({t('verify.signedAtNote')})</span>
              </>
            )}
          </Show>
        </Row>
        <Row label={t('verify.validationTime')}>
          <span class="numeric">{formatDateTime(props.signature.validationTime.at)}</span>{' '}
          <span class="muted">
            (
            {props.signature.validationTime.source === 'timestamp'
              ? t('verify.timeFromTimestamp')
              : t('verify.timeNow')}
            )
          </span>
        </Row>
        <Show when={props.signature.timestamp}>
          {(stamp) => (
            <Row label={t('verify.timestamp')}>
              <Verdict
                ok={stamp().trusted}
                yes={`${formatDateTime(stamp().genTime)} · ${stamp().tsa}`}
                no={t('verify.timestampUntrusted')}
              />
            </Row>
          )}
        </Show>
        <Show when={props.signature.longTerm}>
          {(longTerm) => <Row label={t('verify.level')}>{t(`verify.level.${longTerm().level}`)}</Row>}
        </Show>
        <Show when={props.signature.certification}>
          {(certification) => (
            <Row label={t('verify.kind')}>{permissionText(certification().permission)}</Row>
          )}
        </Show>
        <Row label={t('verify.format')}>
          <span class="mono">{props.signature.subFilter}</span>
        </Row>
        <Row label={t('verify.byteRange')}>
          <Verdict
            ok={props.signature.integrity.coversRevision}
            yes={
              props.signature.integrity.byteRangeCoversWholeFileExceptContents
                ? t('verify.byteRangeOk')
                : t('verify.byteRangeRevision')
            }
            no={t('verify.byteRangeBad')}
          />
        </Row>
        <Row label={t('verify.digest')}>
          <Verdict ok={props.signature.integrity.digestMatches} yes={valid()} no={invalid()} />
        </Row>
        <Row label={t('verify.signatureCheck')}>
          <Verdict ok={props.signature.signatureValid} yes={valid()} no={invalid()} />
        </Row>
        <Row label={t('verify.chain')}>
          <Verdict ok={props.signature.chain.trusted} yes={t('verify.trusted')} no={t('verify.untrusted')} />
          <Show when={props.signature.chain.path.length > 0}>
            <ol class="chain-path">
              <For each={props.signature.chain.path}>{(subject) => <li>{subject}</li>}</For>
            </ol>
          </Show>
          <Show when={props.signature.chain.reason}>
            {(reason) => (
              <p class="chain-reason">
                {t('verify.reason')}: {reason()}
              </p>
            )}
          </Show>
        </Row>
        <Show when={props.signature.revocation.length > 0}>
          <Row label={t('verify.revocation')}>
            <ul class="chain-path">
              <For each={props.signature.revocation}>
                {(item) => (
                  <li>
                    {item.certificate}: {t(`verify.revocation.${item.status}`)}
                  </li>
                )}
              </For>
            </ul>
          </Row>
        </Show>
      </dl>
    </article>
  );
};
