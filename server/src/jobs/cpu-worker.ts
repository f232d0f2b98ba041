// The code a CPU thread runs (piscina): scan page processing and route solving, off the event loop that
// answers requests. Arguments and results cross by structured clone (typed arrays are copied once).
import {
  type Problem,
  type PlanChange,
  replan,
  replanWithDeadlines,
  type Solution,
  type SolveOptions,
  solve,
  solveWithDeadlines,
} from '@postdesk/shared';
import sharp from 'sharp';
import { type ProcessPageOptions, processPage } from '../digitize/pipeline';

// Parallelism comes from the threads; one libvips thread each leaves a core to the event loop.
sharp.concurrency(1);

export const page = (task: { bytes: Uint8Array; options: ProcessPageOptions }) =>
  processPage(task.bytes, task.options);

export const route = (task: { problem: Problem; options: SolveOptions }) => solve(task.problem, task.options);

export const reroute = (task: {
  problem: Problem;
  current: Solution;
  change: PlanChange;
  options: SolveOptions;
}) => replan(task.problem, task.current, task.change, task.options);

/** The dispatch page's plan: stops due today first, with the report of those that miss their date. */
export const plan = (task: { problem: Problem; options: SolveOptions }) =>
  solveWithDeadlines(task.problem, task.options);

export const replanLegal = (task: {
  problem: Problem;
  current: Solution;
  change: PlanChange;
  options: SolveOptions;
}) => replanWithDeadlines(task.problem, task.current, task.change, task.options);
