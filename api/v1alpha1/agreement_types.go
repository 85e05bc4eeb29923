package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Party is one side of a responsibility agreement. Responsibility belongs to the role: when the
// person changes, edit Name and Contact and the open cases follow.
type Party struct {
	// Role the party holds.
	Role Role `json:"role"`
	// Name of the person who signs for the role.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Name string `json:"name"`
	// Organisation the party signs for, for example a school or a township government.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Organisation string `json:"organisation,omitempty"`
	// Contact phone number.
	// +optional
	// +kubebuilder:validation:MaxLength=20
	// +kubebuilder:validation:XValidation:rule="self.matches('^[+]?[0-9][0-9-]{5,19}$')",message="a phone number has digits only, optionally with + and -, for example 13800000000"
	Contact string `json:"contact,omitempty"`
	// Username is the person's Kubernetes user name (as the API server authenticates them, see
	// `kubectl auth whoami`), so that `kubectl kongchuo queue --mine` lists this agreement's work.
	// Edit it with Name when the person changes.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Username string `json:"username,omitempty"`
}

// Scope is what an agreement covers. An empty scope covers the whole county (the namespace).
// Education line: school, grade, class, named students (包人), and a school's catchment villages
// for children not enrolled anywhere. Government line: township, village, village group.
// +kubebuilder:validation:XValidation:rule="!has(self.grade) || has(self.school)",message="a grade scope needs its school"
// +kubebuilder:validation:XValidation:rule="!has(self.class) || has(self.grade)",message="a class scope needs its grade"
// +kubebuilder:validation:XValidation:rule="!has(self.students) || has(self.school)",message="named students (包人) need the school they are enrolled at"
// +kubebuilder:validation:XValidation:rule="!has(self.catchment) || (has(self.school) && !has(self.grade))",message="catchment villages belong to a school-level agreement: set school and no grade or class"
// +kubebuilder:validation:XValidation:rule="!has(self.village) || (has(self.township) && self.village.startsWith(self.township))",message="a village scope needs its township, and the village code must begin with the township code"
// +kubebuilder:validation:XValidation:rule="!has(self.group) || (has(self.village) && self.group.startsWith(self.village))",message="a village group scope needs its village, and the group code must begin with the village code"
type Scope struct {
	// School code (education line).
	// +optional
	School SchoolCode `json:"school,omitempty"`
	// Grade within the school (education line).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=9
	Grade int32 `json:"grade,omitempty"`
	// Class within the grade (education line): the homeroom teacher's agreement.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	Class int32 `json:"class,omitempty"`
	// Students are named Student objects a subject teacher answers for (包人).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=63
	Students []string `json:"students,omitempty"`
	// Catchment villages of a school: children living there who are not enrolled anywhere are the
	// school's to find (education line).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Catchment []VillageCode `json:"catchment,omitempty"`
	// Township (government line).
	// +optional
	Township TownshipCode `json:"township,omitempty"`
	// Village (government line).
	// +optional
	Village VillageCode `json:"village,omitempty"`
	// Group is the village group (government line).
	// +optional
	Group GroupCode `json:"group,omitempty"`
}

// Period is when an agreement is in force, both days included.
// +kubebuilder:validation:XValidation:rule="!has(self.until) || self.until >= self.from",message="the agreement must end on or after the day it starts"
type Period struct {
	// From is the first day the agreement is in force.
	From Date `json:"from"`
	// Until is the last day the agreement is in force. Empty means until replaced.
	// +optional
	Until Date `json:"until,omitempty"`
}

// Targets are the rates the responsible party commits to. Unset targets inherit from a wider agreement.
type Targets struct {
	// PrimaryEnrolment is the minimum enrolment rate of primary-school-age children (usually 100).
	// +optional
	PrimaryEnrolment *Percent `json:"primaryEnrolment,omitempty"`
	// JuniorEnrolment is the minimum enrolment rate of junior-secondary-age children (usually 99).
	// +optional
	JuniorEnrolment *Percent `json:"juniorEnrolment,omitempty"`
	// Consolidation is the minimum consolidation rate (巩固率), usually 100.
	// +optional
	Consolidation *Percent `json:"consolidation,omitempty"`
	// MaxDropout is the maximum dropout rate (for example 1, 2 or 3).
	// +optional
	MaxDropout *Percent `json:"maxDropout,omitempty"`
	// DisabilityEnrolment is the minimum enrolment rate of children with disabilities (usually 90).
	// +optional
	DisabilityEnrolment *Percent `json:"disabilityEnrolment,omitempty"`
	// MaxPrimaryDropout caps the school year's dropout rate of primary-age children (小学年辍学率,
	// for example 2: "小学在校生辍学率控制在2%以内").
	// +optional
	MaxPrimaryDropout *Percent `json:"maxPrimaryDropout,omitempty"`
	// MaxJuniorDropout caps the school year's dropout rate of junior-age children (初中年辍学率,
	// for example 3: "初中在校生辍学率控制在3%以内").
	// +optional
	MaxJuniorDropout *Percent `json:"maxJuniorDropout,omitempty"`
	// RegisteredPoorConsolidation is the minimum consolidation rate of children of registered poor
	// households (建档立卡), usually 100.
	// +optional
	RegisteredPoorConsolidation *Percent `json:"registeredPoorConsolidation,omitempty"`
	// MinCohortRetention is the minimum three-year retention rate (三年保存率) of a junior school,
	// township or county, for example 92: "初中三年保存率在92%以上". Judged on the school-year
	// summaries (MonthlyReport period SchoolYear).
	// +optional
	MinCohortRetention *Percent `json:"minCohortRetention,omitempty"`
}

// Escalation is the ladder a case climbs. Day counts are consecutive unexcused school days.
// Unset steps inherit from a wider agreement, then from the policy defaults (docs/ladder.md).
// +kubebuilder:validation:XValidation:rule="!has(self.atRiskAfterDays) || !has(self.schoolReportAfterDays) || self.atRiskAfterDays < self.schoolReportAfterDays",message="the ladder must be strictly increasing: atRiskAfterDays must be less than schoolReportAfterDays"
// +kubebuilder:validation:XValidation:rule="!has(self.schoolReportAfterDays) || !has(self.townshipReportAfterDays) || self.schoolReportAfterDays < self.townshipReportAfterDays",message="the ladder must be strictly increasing: schoolReportAfterDays must be less than townshipReportAfterDays"
// +kubebuilder:validation:XValidation:rule="!has(self.atRiskAfterDays) || !has(self.townshipReportAfterDays) || self.atRiskAfterDays < self.townshipReportAfterDays",message="the ladder must be strictly increasing: atRiskAfterDays must be less than townshipReportAfterDays"
type Escalation struct {
	// AtRiskAfterDays of unexcused absence mark a child at risk (the homeroom teacher calls home). Default 1.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=60
	AtRiskAfterDays *int32 `json:"atRiskAfterDays,omitempty"`
	// SchoolReportAfterDays of unexcused absence open a case at SchoolReported (报教导处, 劝学书). Default 3.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=60
	SchoolReportAfterDays *int32 `json:"schoolReportAfterDays,omitempty"`
	// TownshipReportAfterDays of unexcused absence move a case to TownshipReported even if the
	// required visits are not all recorded. Default 10.
	// +optional
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=120
	TownshipReportAfterDays *int32 `json:"townshipReportAfterDays,omitempty"`
	// RequiredVisits is the number of recorded persuasion visits (home visits) before the school files
	// a dropout report to the township. Default 3; some counties require 4.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	RequiredVisits *int32 `json:"requiredVisits,omitempty"`
	// ActionDeadlineDays is how many days the responsible party has to record the action a stage
	// requires (persuasion letter, dropout report, return notice, legal referral). Default 3.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=60
	ActionDeadlineDays *int32 `json:"actionDeadlineDays,omitempty"`
	// ReturnNoticeDays is the deadline a return-to-school notice (复学通知书) gives, in days. Default 15.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=90
	ReturnNoticeDays *int32 `json:"returnNoticeDays,omitempty"`
	// FollowUpSchoolDays of attendance after a return close the case. Default 20; at most 60 (about
	// a school term).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=60
	FollowUpSchoolDays *int32 `json:"followUpSchoolDays,omitempty"`
	// Steps are the ladder as the county writes it, in order: what triggers each step, the actions
	// it requires on each line and from whom, its deadline and the stage it puts the case at. Set,
	// they replace the default steps (docs/ladder.md) whole; the day counts above, where set, still
	// adjust the steps they name (atRiskAfterDays the first step before the case,
	// schoolReportAfterDays the SchoolReported step, townshipReportAfterDays and requiredVisits the
	// TownshipReported step, actionDeadlineDays every step with a stage).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	Steps []LadderStep `json:"steps,omitempty"`
}

// LadderStep is one step of the ladder.
// +kubebuilder:validation:XValidation:rule="!has(self.stage) || self.stage in ['SchoolReported','TownshipReported','LegalAction']",message="a step puts a case at SchoolReported, TownshipReported or LegalAction; leave stage out for a step before the case (the child is at risk)"
// +kubebuilder:validation:XValidation:rule="has(self.stage) || (!has(self.when.visitsRecorded) && !has(self.when.deadlineMissed))",message="visitsRecorded and deadlineMissed count a case's actions: they need a stage"
// +kubebuilder:validation:XValidation:rule="!has(self.stage) || (!has(self.when.unexcusedDays) && !has(self.when.attendanceBelow) && !has(self.when.leftWithoutLeave))",message="a step with a stage is triggered by consecutiveDays, visitsRecorded or deadlineMissed; cumulative, chronic and left-without-leave rules are steps before the case"
type LadderStep struct {
	// Name of the step, unique in the ladder, for example contact-guardian.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`
	// Description in the county's words, shown in listings and docs/ladder.md, for example
	// 班主任与防流控辍小组家访.
	// +optional
	// +kubebuilder:validation:MaxLength=200
	Description string `json:"description,omitempty"`
	// When the step applies: any one of its triggers (whichever comes first).
	When StepTrigger `json:"when"`
	// Stage the case is at from this step on. Without a stage the step comes before the case:
	// the child is AtRisk and the step's actions are shown as due on the Student.
	// +optional
	Stage Stage `json:"stage,omitempty"`
	// Actions the step requires, in order, each owed by one line and taken by the roles named.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Actions []StepAction `json:"actions,omitempty"`
	// DeadlineDays to record the step's actions, counted from the day the step applies (0: the
	// same day). Default actionDeadlineDays.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=60
	DeadlineDays *int32 `json:"deadlineDays,omitempty"`
}

// StepTrigger says when a step applies. Day counts are school days of the child's class record.
// +kubebuilder:validation:XValidation:rule="has(self.consecutiveDays) || has(self.unexcusedDays) || has(self.attendanceBelow) || has(self.leftWithoutLeave) || has(self.visitsRecorded) || has(self.deadlineMissed)",message="a step needs a trigger: consecutiveDays, unexcusedDays within withinSchoolDays, attendanceBelow, leftWithoutLeave, visitsRecorded or deadlineMissed"
// +kubebuilder:validation:XValidation:rule="has(self.unexcusedDays) == has(self.withinSchoolDays)",message="unexcusedDays and withinSchoolDays go together: N unexcused days within a window of M school days"
// +kubebuilder:validation:XValidation:rule="!has(self.unexcusedDays) || self.unexcusedDays <= self.withinSchoolDays",message="unexcusedDays cannot be more than withinSchoolDays"
type StepTrigger struct {
	// ConsecutiveDays of unexcused absence (旷课, and left without leave).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=120
	ConsecutiveDays *int32 `json:"consecutiveDays,omitempty"`
	// UnexcusedDays within the latest WithinSchoolDays school days (a cumulative rule, N in M).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=120
	UnexcusedDays *int32 `json:"unexcusedDays,omitempty"`
	// WithinSchoolDays is the window of the cumulative rule.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=200
	WithinSchoolDays *int32 `json:"withinSchoolDays,omitempty"`
	// AttendanceBelow: the term's attendance (days present of the school days recorded) is below
	// this percentage (chronic absenteeism, for example 90), once the term has MinimumSchoolDays.
	// +optional
	AttendanceBelow *Percent `json:"attendanceBelow,omitempty"`
	// MinimumSchoolDays the term must have before attendanceBelow applies. Default 10.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=200
	MinimumSchoolDays *int32 `json:"minimumSchoolDays,omitempty"`
	// LeftWithoutLeave: the latest school day the child left without leave (不经请假外出).
	// +optional
	LeftWithoutLeave *bool `json:"leftWithoutLeave,omitempty"`
	// VisitsRecorded: this many home visits recorded on the case with the child still away.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	VisitsRecorded *int32 `json:"visitsRecorded,omitempty"`
	// DeadlineMissed: the return notice's deadline passed with the child still away.
	// +optional
	DeadlineMissed *bool `json:"deadlineMissed,omitempty"`
}

// StepAction is one action a step requires.
type StepAction struct {
	// Type of the action.
	Type ActionType `json:"type"`
	// Line that owes it.
	Line Line `json:"line"`
	// Roles that take part, for example HomeroomTeacher and Principal.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=5
	Roles []Role `json:"roles,omitempty"`
}

// Assessment is how the responsible party is assessed (考核).
type Assessment struct {
	// RewardPoints when the targets are met (for example 2).
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	RewardPoints *int32 `json:"rewardPoints,omitempty"`
	// PenaltyPoints per dropout in scope (for example 5).
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	PenaltyPoints *int32 `json:"penaltyPoints,omitempty"`
	// VetoOnDropout: any dropout in scope vetoes all honours of the year (一票否决).
	// +optional
	VetoOnDropout *bool `json:"vetoOnDropout,omitempty"`
	// VetoAboveDropout vetoes all honours only when the school year's dropout rate is above it
	// ("一学年内辍学率超过1%的班级…一票否决"); with VetoOnDropout also set, either vetoes.
	// +optional
	VetoAboveDropout *Percent `json:"vetoAboveDropout,omitempty"`
	// MissedTargetsPenalty is deducted once when any target is missed ("不能完成控辍保学目标…扣5分"),
	// whatever the number of dropouts; PenaltyPoints is per dropout.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	MissedTargetsPenalty *int32 `json:"missedTargetsPenalty,omitempty"`
	// Fine in yuan per dropout of a level whose school-year dropout rate is above the level's cap
	// ("小学辍学率2%以上的学校,每辍学一名学生罚学校200元").
	// +optional
	Fine *Fine `json:"fine,omitempty"`
	// Months in which the assessment is held ("6月、12月将组织考评"): the monthly reports of those
	// months carry the assessment result.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=12
	// +kubebuilder:validation:items:Minimum=1
	// +kubebuilder:validation:items:Maximum=12
	Months []int32 `json:"months,omitempty"`
}

// Fine is a fine per dropout above a cap, by level.
type Fine struct {
	// PerDropout in yuan.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	PerDropout int32 `json:"perDropout"`
	// AbovePrimaryDropout: primary-age dropouts are fined when the primary school-year dropout rate
	// is above it; unset fines every primary-age dropout.
	// +optional
	AbovePrimaryDropout *Percent `json:"abovePrimaryDropout,omitempty"`
	// AboveJuniorDropout: the same for junior-age dropouts.
	// +optional
	AboveJuniorDropout *Percent `json:"aboveJuniorDropout,omitempty"`
}

// Reporting sets the monthly report's (月报) cut-off days: the day of the month its report is
// written with the figures as of that day and must be confirmed by the responsible person
// ("各学校对辍学统计结果于每月23日前书面报镇政府,镇政府汇总后每月25日前上报县教育局").
type Reporting struct {
	// SchoolCutOff is the school reports' day of the month. Default 23.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=28
	SchoolCutOff *int32 `json:"schoolCutOff,omitempty"`
	// TownshipCutOff is the township summaries' day of the month. Default 25.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=28
	TownshipCutOff *int32 `json:"townshipCutOff,omitempty"`
	// CountyCutOff is the county summary's day of the month. Default 25.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=28
	CountyCutOff *int32 `json:"countyCutOff,omitempty"`
	// ConfirmWithinDays after the cut-off day the report must be confirmed; a report unconfirmed
	// after that day is Late. Default 0: confirmed on the cut-off day itself.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=10
	ConfirmWithinDays *int32 `json:"confirmWithinDays,omitempty"`
}

// MonthDay is a day of the year, written MM-DD (for example 09-01): the same day every year.
// +kubebuilder:validation:Pattern=`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
type MonthDay string

// SchoolTerm is one term (学期) of the school year, by its first and last day.
type SchoolTerm struct {
	// Start is the term's first day, MM-DD. The term that starts on the school year's first day
	// (1 September) opens the school year: its sweep is also the grade 6→7 hand-over.
	Start MonthDay `json:"start"`
	// End is the term's last day, MM-DD; the sweep of a term looks no later than this day.
	End MonthDay `json:"end"`
}

// Calendar holds the county's school terms and the checks made against them: the start-of-term
// sweep (开学初排查: "开学初县教体局要求全县各校进行全面排查,对未及时入学的学生,进行劝返工作")
// and silent classes.
type Calendar struct {
	// Terms of the school year. Default: autumn 09-01 to 01-31, spring 03-01 to 07-15. A county
	// whose spring term starts on another day (it moves with the Spring Festival) sets both terms.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=4
	Terms []SchoolTerm `json:"terms,omitempty"`
	// SweepAfterDays is how many days after a term's first day the sweep looks, so that the
	// schools have imported the new term's registry (学籍) by then. Default 7.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=60
	SweepAfterDays *int32 `json:"sweepAfterDays,omitempty"`
	// SilentAfterSchoolDays is how many of its school's school days in a row a class may miss
	// before it counts as silent: its children's attendance is then unknown. Default 3.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=30
	SilentAfterSchoolDays *int32 `json:"silentAfterSchoolDays,omitempty"`
}

// Terms are what the agreement commits to. Terms left unset are inherited from the wider agreement
// on the same line (class from grade, grade from school, school from county; group from village…).
type Terms struct {
	// Targets for the scope.
	// +optional
	Targets Targets `json:"targets,omitempty"`
	// Escalation ladder for cases in the scope.
	// +optional
	Escalation Escalation `json:"escalation,omitempty"`
	// Assessment of the responsible party.
	// +optional
	Assessment Assessment `json:"assessment,omitempty"`
	// Reporting: the monthly reports' cut-off days.
	// +optional
	Reporting Reporting `json:"reporting,omitempty"`
	// Support the focus groups need, and the 送教上门 rule (supportrecord_types.go).
	// +optional
	Support SupportTerms `json:"support,omitempty"`
	// Calendar: the school terms, the start-of-term sweep and silent classes.
	// +optional
	Calendar Calendar `json:"calendar,omitempty"`
}

// ResponsibilityAgreementSpec is one signed responsibility agreement (责任书).
// +kubebuilder:validation:XValidation:rule="self.line != 'Education' || !has(self.scope) || (!has(self.scope.township) && !has(self.scope.village) && !has(self.scope.group))",message="an Education-line agreement is scoped by school, grade, class or students, not by township, village or group"
// +kubebuilder:validation:XValidation:rule="self.line != 'Government' || !has(self.scope) || (!has(self.scope.school) && !has(self.scope.grade) && !has(self.scope.class) && !has(self.scope.students) && !has(self.scope.catchment))",message="a Government-line agreement is scoped by township, village or group, not by school, grade, class, named students or catchment villages"
// +kubebuilder:validation:XValidation:rule="self.line != 'Education' || self.responsible.role in ['CountyBureau','CentralSchool','Principal','GradeLeader','HomeroomTeacher','SubjectTeacher']",message="the responsible party of an Education-line agreement holds an education role (CountyBureau, CentralSchool, Principal, GradeLeader, HomeroomTeacher or SubjectTeacher)"
// +kubebuilder:validation:XValidation:rule="self.line != 'Government' || self.responsible.role in ['CountyGovernment','TownshipCadre','VillageCadre','GroupLeader']",message="the responsible party of a Government-line agreement holds a government role (CountyGovernment, TownshipCadre, VillageCadre or GroupLeader)"
type ResponsibilityAgreementSpec struct {
	// Line of responsibility: Education (学校一条线) or Government (政府一条线).
	Line Line `json:"line"`
	// Issuer is the party that issues the agreement (甲方).
	Issuer Party `json:"issuer"`
	// Responsible is the party that answers for the scope (乙方).
	Responsible Party `json:"responsible"`
	// Scope the agreement covers.
	// +optional
	Scope Scope `json:"scope,omitempty"`
	// Effective period of the agreement.
	Effective Period `json:"effective"`
	// Terms of the agreement.
	// +optional
	Terms Terms `json:"terms,omitempty"`
}

// StageCounts counts open cases by stage.
type StageCounts struct {
	// SchoolReported cases: reported to the school office, persuasion under way (suspected dropouts).
	// +optional
	SchoolReported int32 `json:"schoolReported,omitempty"`
	// TownshipReported cases: dropout report filed with the township (confirmed dropouts).
	// +optional
	TownshipReported int32 `json:"townshipReported,omitempty"`
	// ReturnNoticeIssued cases: a return-to-school notice is running.
	// +optional
	ReturnNoticeIssued int32 `json:"returnNoticeIssued,omitempty"`
	// LegalAction cases: the notice's deadline passed, or a legal referral was made.
	// +optional
	LegalAction int32 `json:"legalAction,omitempty"`
	// Returned cases: attending again, in follow-up before the case closes.
	// +optional
	Returned int32 `json:"returned,omitempty"`
}

// Coverage counts the children in an agreement's scope.
type Coverage struct {
	// Children in scope.
	Children int32 `json:"children,omitempty"`
	// SchoolAge children in scope.
	SchoolAge int32 `json:"schoolAge,omitempty"`
	// Enrolled school-age children, including legitimate non-attendance with valid evidence.
	Enrolled int32 `json:"enrolled,omitempty"`
	// Attending children (enrolled and not at risk).
	Attending int32 `json:"attending,omitempty"`
	// AtRisk children (unexcused absence below the case threshold).
	AtRisk int32 `json:"atRisk,omitempty"`
	// OpenCases by stage.
	OpenCases StageCounts `json:"openCases,omitempty"`
	// DroppedOut counts children with a DroppedOut case opened this school year.
	DroppedOut int32 `json:"droppedOut,omitempty"`
	// Returned counts children whose case this school year closed because they came back.
	Returned int32 `json:"returned,omitempty"`
	// DisabilitySchoolAge counts school-age children with disabilities.
	// +optional
	DisabilitySchoolAge int32 `json:"disabilitySchoolAge,omitempty"`
	// DisabilityEnrolled counts the enrolled among them.
	// +optional
	DisabilityEnrolled int32 `json:"disabilityEnrolled,omitempty"`
	// Grade7 counts the school-age children enrolled in grade 7 and in school (not an open
	// confirmed dropout): the intake a September report records for the three-year retention.
	// +optional
	Grade7 int32 `json:"grade7,omitempty"`
	// Grade9 counts the same in grade 9: the cohort a school-year summary measures.
	// +optional
	Grade9 int32 `json:"grade9,omitempty"`
	// FocusGroups counts each focus group present in scope.
	// +optional
	// +listType=map
	// +listMapKey=group
	FocusGroups []FocusGroupCount `json:"focusGroups,omitempty"`
	// Causes counts the children with a case this school year by the cause on their latest case.
	// +optional
	// +listType=map
	// +listMapKey=cause
	Causes []CauseCount `json:"causes,omitempty"`
	// Placements counts the children with a case this school year by the placement recorded on
	// their latest case (回原校, 其他学校, 职业学校, 特殊教育学校, 送教上门, 未返校).
	// +optional
	// +listType=map
	// +listMapKey=placement
	Placements []PlacementCount `json:"placements,omitempty"`
}

// CauseCount counts the children whose latest case of the school year records one cause
// (摸清辍学的原因); a case without a cause counts as Unknown.
type CauseCount struct {
	// Cause recorded on the case.
	Cause Cause `json:"cause"`
	// Children with that cause.
	Children int32 `json:"children"`
}

// PlacementCount counts the children whose latest case of the school year records one placement:
// where a child persuaded back (劝返) now learns, or that it did not return.
type PlacementCount struct {
	// Placement recorded on the case.
	Placement Placement `json:"placement"`
	// Children with that placement.
	Children int32 `json:"children"`
}

// FocusGroupCount counts one focus group (重点群体) in scope, so it can be reported separately.
type FocusGroupCount struct {
	// Group counted.
	Group FocusGroup `json:"group"`
	// SchoolAge children of the group in scope.
	SchoolAge int32 `json:"schoolAge,omitempty"`
	// Enrolled school-age children of the group.
	Enrolled int32 `json:"enrolled,omitempty"`
	// OpenCases of children of the group.
	OpenCases int32 `json:"openCases,omitempty"`
}

// Rates are measured in scope; definitions are in docs/rates.md.
type Rates struct {
	// Enrolment rate of all school-age children in scope.
	// +optional
	Enrolment Percent `json:"enrolment,omitempty"`
	// PrimaryEnrolment rate of children in their first six years of school age.
	// +optional
	PrimaryEnrolment Percent `json:"primaryEnrolment,omitempty"`
	// JuniorEnrolment rate of children in their last three years of school age.
	// +optional
	JuniorEnrolment Percent `json:"juniorEnrolment,omitempty"`
	// Consolidation rate (巩固率).
	// +optional
	Consolidation Percent `json:"consolidation,omitempty"`
	// Dropout rate.
	// +optional
	Dropout Percent `json:"dropout,omitempty"`
	// DisabilityEnrolment rate of school-age children with disabilities.
	// +optional
	DisabilityEnrolment Percent `json:"disabilityEnrolment,omitempty"`
	// SchoolYearDropout is the school year's dropout rate (年辍学率): the dropouts that occurred
	// this school year, returned or not, over the base.
	// +optional
	SchoolYearDropout Percent `json:"schoolYearDropout,omitempty"`
	// PrimaryDropout is the school year's dropout rate of primary-age children.
	// +optional
	PrimaryDropout Percent `json:"primaryDropout,omitempty"`
	// JuniorDropout is the school year's dropout rate of junior-age children.
	// +optional
	JuniorDropout Percent `json:"juniorDropout,omitempty"`
	// RegisteredPoorConsolidation is the consolidation rate of children of registered poor
	// households (建档立卡).
	// +optional
	RegisteredPoorConsolidation Percent `json:"registeredPoorConsolidation,omitempty"`
}

// ReportingCompliance measures a class's daily reporting (zero-report rule, 零报告).
type ReportingCompliance struct {
	// MissingDays lists the past school days of this school year on which the class's school
	// reported and the class did not. Today is not missing yet. The days the class reported are
	// in its ClassAttendance records (kubectl get ca).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=366
	MissingDays []Date `json:"missingDays,omitempty"`
	// SilentSince is the first of the school days in a row the class has not reported while its
	// school did (terms.calendar.silentAfterSchoolDays or more): its children's attendance is
	// unknown since that day. Empty while the class reports.
	// +optional
	SilentSince Date `json:"silentSince,omitempty"`
}

// AssessmentResult applies the assessment terms to the measured scope.
type AssessmentResult struct {
	// Points earned (reward) or lost (penalty).
	Points int32 `json:"points,omitempty"`
	// Vetoed is true when a dropout in scope vetoes honours (一票否决).
	Vetoed bool `json:"vetoed,omitempty"`
	// Fine in yuan (罚款) under the fine terms.
	// +optional
	Fine int32 `json:"fine,omitempty"`
}

// ResponsibilityAgreementStatus is what the controller measured for the agreement.
type ResponsibilityAgreementStatus struct {
	// ObservedGeneration is the generation of the spec this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Level of the scope, for example Class or Village.
	// +optional
	Level string `json:"level,omitempty"`
	// ScopeSummary is the scope in one line, for listing.
	// +optional
	ScopeSummary string `json:"scopeSummary,omitempty"`
	// Coverage of the scope.
	// +optional
	Coverage Coverage `json:"coverage,omitempty"`
	// Rates measured in scope.
	// +optional
	Rates Rates `json:"rates,omitempty"`
	// EffectiveMaxDropout is the dropout target after inheritance, shown beside the measured rate.
	// +optional
	EffectiveMaxDropout Percent `json:"effectiveMaxDropout,omitempty"`
	// Retention is the three-year retention (三年保存率) of the cohort in grade 9 now, on a school,
	// township or county agreement: its grade-9 pupils against the grade-7 intake of its scope's
	// September report two school years before, judged against targets.minCohortRetention.
	// Absent on other agreements, and while that report does not exist.
	// +optional
	Retention *CohortRetention `json:"retention,omitempty"`
	// Reporting compliance of a class-level agreement.
	// +optional
	Reporting *ReportingCompliance `json:"reporting,omitempty"`
	// Assessment result.
	// +optional
	Assessment AssessmentResult `json:"assessment,omitempty"`
	// ConflictsWith names other active agreements claiming the same scope on the same line.
	// +optional
	// +listType=atomic
	ConflictsWith []string `json:"conflictsWith,omitempty"`
	// Conditions: Active, TargetsMet, Conflict, Ready.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Agreement condition types.
const (
	AgreementActive     = "Active"
	AgreementTargetsMet = "TargetsMet"
	AgreementConflict   = "Conflict"
	// AgreementSilent is True on a class agreement while the class sends no roll call on the days
	// its school reports (terms.calendar.silentAfterSchoolDays in a row); set on class agreements only.
	AgreementSilent = "Silent"
)

// ResponsibilityAgreement is one signed responsibility agreement (责任书) on one line of responsibility.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ra,categories=kongchuo
// +kubebuilder:printcolumn:name="Line",type=string,JSONPath=`.spec.line`
// +kubebuilder:printcolumn:name="Role",type=string,JSONPath=`.spec.responsible.role`
// +kubebuilder:printcolumn:name="Scope",type=string,JSONPath=`.status.scopeSummary`
// +kubebuilder:printcolumn:name="Children",type=integer,JSONPath=`.status.coverage.children`
// +kubebuilder:printcolumn:name="Dropout-%",type=string,JSONPath=`.status.rates.dropout`,description="Dropout rate in percent"
// +kubebuilder:printcolumn:name="Max-%",type=string,JSONPath=`.status.effectiveMaxDropout`,description="Dropout target in percent"
// +kubebuilder:printcolumn:name="Targets-Met",type=string,JSONPath=`.status.conditions[?(@.type=="TargetsMet")].status`
// +kubebuilder:printcolumn:name="Active",type=string,JSONPath=`.status.conditions[?(@.type=="Active")].status`
// +kubebuilder:printcolumn:name="Responsible",type=string,JSONPath=`.spec.responsible.name`,priority=1
// +kubebuilder:printcolumn:name="Conflict",type=string,JSONPath=`.status.conditions[?(@.type=="Conflict")].status`,priority=1
type ResponsibilityAgreement struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec ResponsibilityAgreementSpec `json:"spec"`
	// +kubebuilder:default={observedGeneration: 0}
	Status ResponsibilityAgreementStatus `json:"status,omitempty"` // the default makes kstatus (Flux) see a new object as in progress until reconciled
}

// ResponsibilityAgreementList is a list of ResponsibilityAgreements.
// +kubebuilder:object:root=true
type ResponsibilityAgreementList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ResponsibilityAgreement `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ResponsibilityAgreement{}, &ResponsibilityAgreementList{})
}
