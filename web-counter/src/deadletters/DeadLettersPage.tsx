/** /dead-letters — placeholder until the feature lands. */
export const DeadLettersPage = () => <main class="page">/dead-letters</main>;
