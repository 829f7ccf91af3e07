export { applyAnswer, decide } from './decide.js';
export { flowchart, getNode, nextNode, toMermaid } from './flowchart.js';
export { ALREADY_PARALLEL_AT, runFailure, speedupEstimate } from './report.js';
export { LOW_CONFIDENCE, MANY_TASKS_IN_FLIGHT, UNCERTAIN_CONFIDENCE } from './thresholds.js';
export type {
  Alternative,
  AnswerField,
  AnswerOption,
  Answers,
  Decision,
  Edge,
  Flowchart,
  FlowNode,
  Model,
  OutcomeId,
  OutcomeNode,
  PathStep,
  QuestionId,
  QuestionNode,
  Runtime,
  SpeedupModel,
  TasksInFlight,
  Tool,
  WorkloadAnswer,
  WorkloadReportLike,
} from './types.js';
export { REPORT_KINDS, RUNTIMES, UNANSWERED, WORKLOADS } from './validate.js';
