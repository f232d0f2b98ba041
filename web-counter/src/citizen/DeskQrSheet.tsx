import QRCode from 'qrcode';
import { createResource, For, Show } from 'solid-js';
import { api } from '../api';
import { describeError } from '../errors';
import { t } from '../i18n';
import { PrintIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import './citizen.css';

/** One printable QR code per desk of the office: scanning it opens /feedback?desk=… on the citizen's phone. */
export const DeskQrSheet = () => {
  const [desks] = createResource(async () => {
    const list = await api.feedback.deskQrs.query();
    return Promise.all(
      list.map(async (d) => ({ ...d, image: await QRCode.toDataURL(d.url, { margin: 1, width: 360 }) })),
    );
  });
  return (
    <section class="desk-qr-section" aria-labelledby="desk-qr-title">
      <div class="catalog-toolbar desk-qr-noprint">
        <h2 id="desk-qr-title" class="page-title">
          {t('citizen.deskQr.title')}
        </h2>
        <button type="button" class="button" onClick={() => window.print()}>
          <PrintIcon />
          {t('citizen.deskQr.print')}
        </button>
      </div>
      <Show when={desks.error}>
        <ProblemNote problem={describeError(desks.error)} />
      </Show>
      <div class="desk-qr-sheet">
        <For each={desks() ?? []}>
          {(d) => (
            <figure class="desk-qr">
              <img src={d.image} alt={`${t('citizen.deskQr.caption')} — ${d.name}`} />
              <figcaption>
                <strong>{t('citizen.deskQr.caption')}</strong>
                <br />
                {d.name} — {d.officeName}
              </figcaption>
            </figure>
          )}
        </For>
      </div>
    </section>
  );
};
