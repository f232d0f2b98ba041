/** /mailbox — placeholder until the feature lands. */
export const MailboxPage = () => <main class="page">/mailbox</main>;
