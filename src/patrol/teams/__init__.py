"""The week's "1+1+N" teams: rules, a greedy start, the CP-SAT model, gaps and checks."""
