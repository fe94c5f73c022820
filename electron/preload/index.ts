// The preload: runs sandboxed, with context isolation, before the page. It exposes the bridge and
// nothing else. DO NOT expose ipcRenderer or any of its methods directly.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.js';

contextBridge.exposeInMainWorld('c360', buildBridge(ipcRenderer));
