export * from './storage.js';
export * from './entry-id.js';
export { Sequencer, type SequencerOptions } from './sequencer.js';
export { TransparencyLog, LogIdentityError, type AddResult, type LogOptions } from './log.js';
export { LogReader, type EntryView, type InclusionProofView } from './reader.js';
export { shardSigner, type ShardSigner } from './seal.js';
export { planIntegration } from './integrate.js';
