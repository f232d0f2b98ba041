/** /agency/:dossierId — placeholder until the feature lands. */
export const AgencyDossierPage = () => <main class="page">/agency/:dossierId</main>;
