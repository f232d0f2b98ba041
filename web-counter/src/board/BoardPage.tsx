/** /board — placeholder until the feature lands. */
export const BoardPage = () => <main class="page">/board</main>;
