/** /pay/:billCode — placeholder until the feature lands. */
export const PayPage = () => <main class="page">/pay/:billCode</main>;
