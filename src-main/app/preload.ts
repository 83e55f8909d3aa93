// The sandboxed preload: a CommonJS bundle that may only require('electron'). It exposes the
// contract as `window.jiedai` and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('jiedai', createBridge(ipcRenderer));
