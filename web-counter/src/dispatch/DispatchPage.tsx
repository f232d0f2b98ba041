/** /dispatch — placeholder until the feature lands. */
export const DispatchPage = () => <main class="page">/dispatch</main>;
