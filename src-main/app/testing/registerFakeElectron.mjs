import { register } from 'node:module';

register(new URL('./fakeElectronHooks.mjs', import.meta.url));
