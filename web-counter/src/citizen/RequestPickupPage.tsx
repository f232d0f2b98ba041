/** /request-pickup — placeholder until the feature lands. */
export const RequestPickupPage = () => <main class="page">/request-pickup</main>;
