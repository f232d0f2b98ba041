/** /dossiers/:dossierId — placeholder until the feature lands. */
export const DeskDossierPage = () => <main class="page">/dossiers/:dossierId</main>;
