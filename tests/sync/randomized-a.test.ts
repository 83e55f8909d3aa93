import { randomizedSuite } from './randomized';

randomizedSuite(1, Number(process.env.JIEDAI_SYNC_COUNT ?? 5));
