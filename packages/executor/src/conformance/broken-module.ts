// A task module whose evaluation throws: the conformance suite checks that this is reported.
throw new Error('this task module fails while loading');

export {};
