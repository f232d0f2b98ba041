/** /complaints — placeholder until the feature lands. */
export const ComplaintsPage = () => <main class="page">/complaints</main>;
