/** /indicators — placeholder until the feature lands. */
export const IndicatorsPage = () => <main class="page">/indicators</main>;
