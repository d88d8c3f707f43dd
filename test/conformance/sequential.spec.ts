import { sequential } from '../../backends/sequential/index.js';
import { describeBackend } from './suite.js';

describeBackend('sequential', () => sequential());
