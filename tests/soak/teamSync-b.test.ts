import { teamRandomizedSuite } from '../teamSync/randomized';

/** Soak tier: seeds 20250–20499 of the randomized tier-2 test (four files of 250, so the runner uses both cores). */
teamRandomizedSuite(20250, 250);
