import { teamRandomizedSuite } from './randomized';

/** The fast tier's sample of the randomized tier-2 test: seeds 1–6 (the soak tier runs 1,000 more, tests/soak/teamSync-*). */
teamRandomizedSuite(1, 6);
