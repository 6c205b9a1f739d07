export { AssignmentSimulation, type SimulatedRebalance } from './testing/assignment-simulation.js';
export { minimumTaskMoves } from './testing/minimum-task-moves.js';
