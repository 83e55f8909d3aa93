// A setup file of the renderer test project (vitest.config.ts): renderer tests get their shops from
// the real core. It lives under tests/ because src-renderer may never import src-main; the renderer
// side knows only the TestShop type (src-renderer/test/testShop.ts).
import { provideShops } from '../../src-renderer/test/testShop';
import { openDamagedShop, openRealShop } from './realCore';

provideShops({ small: openRealShop, damaged: openDamagedShop });
