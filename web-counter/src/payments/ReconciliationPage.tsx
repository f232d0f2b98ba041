/** /payments — placeholder until the feature lands. */
export const ReconciliationPage = () => <main class="page">/payments</main>;
