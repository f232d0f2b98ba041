import type { Problem } from './errors';

export const ProblemNote = (props: { problem: Problem; id?: string }) => (
  <div class="problem" role="alert" id={props.id}>
    <p lang="vi">{props.problem.vi}</p>
    <p lang="en" class="problem-en">
      {props.problem.en}
    </p>
  </div>
);
