/** /agency — placeholder until the feature lands. */
export const AgencyInboxPage = () => <main class="page">/agency</main>;
