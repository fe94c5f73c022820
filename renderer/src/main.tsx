import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './client';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App client={createClient()} />);
