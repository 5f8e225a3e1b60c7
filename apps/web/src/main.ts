import './style.css'
import { mountApp } from './app.js'

mountApp(document.getElementById('app')!, { origin: location.origin, fetch: fetch.bind(globalThis) })
