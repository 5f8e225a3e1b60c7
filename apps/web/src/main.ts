import './style.css'
import { renderShell } from './shell.js'

renderShell(document.getElementById('app')!, fetch.bind(globalThis))
