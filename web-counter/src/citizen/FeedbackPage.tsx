/** /feedback — placeholder until the feature lands. */
export const FeedbackPage = () => <main class="page">/feedback</main>;
