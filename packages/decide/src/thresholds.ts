// The numbers the flowchart's labels and the engine share, in one place.

/** From this many tasks in flight on, question 2 is answered "many": only async I/O scales there. */
export const MANY_TASKS_IN_FLIGHT = 1000;
/** A report with a lower `confidence` gets a caveat that says so. */
export const LOW_CONFIDENCE = 0.6;
/**
 * Below this `confidence` a measured workload is read as uncertain: near a threshold between
 * labels (the classifier's confidence is 0.5 on a threshold and rises away from it) or weakened by
 * its penalties. The decision then shows the other branch too.
 */
export const UNCERTAIN_CONFIDENCE = 0.7;
