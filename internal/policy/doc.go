// Package policy holds the rules of 控辍保学 as pure functions: school age, the attendance summary,
// which agreement answers for a child, term inheritance, the escalation ladder, evidence for
// legitimate non-attendance, and the rates agreements are measured by. Nothing here talks to an
// API server or reads a clock: callers pass "today" in, so every rule can be table-tested.
package policy
