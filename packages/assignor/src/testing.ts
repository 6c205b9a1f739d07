export { AssignmentSimulation, type SimulatedRebalance } from './testing/assignment-simulation.js';
