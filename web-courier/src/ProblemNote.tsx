import type { Problem } from './errors';
import { lang } from './i18n';

/** An error in the user's language only: Vietnamese unless they picked English. */
export const ProblemNote = (props: { problem: Problem; id?: string }) => (
  <div class="problem" role="alert" id={props.id}>
    <p lang={lang()}>{lang() === 'en' ? props.problem.en : props.problem.vi}</p>
  </div>
);
