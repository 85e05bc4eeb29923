package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CaseType says whether the child stopped coming, never came, or was not found on a roster at
// the start of a term.
// +kubebuilder:validation:Enum=DroppedOut;NotEnrolled;NotReturnedAfterTerm;NotHandedOver
type CaseType string

const (
	// CaseDroppedOut: an enrolled child stopped attending (辍学).
	CaseDroppedOut CaseType = "DroppedOut"
	// CaseNotEnrolled: a school-age child enrolled nowhere without an approved exemption (失学).
	CaseNotEnrolled CaseType = "NotEnrolled"
	// CaseNotReturnedAfterTerm: enrolled last term and on no roster this term, without evidence
	// of a legitimate reason (开学初排查: 未及时入学).
	CaseNotReturnedAfterTerm CaseType = "NotReturnedAfterTerm"
	// CaseNotHandedOver: a grade-6 child of the school year that ended who appears in no junior
	// school's grade 7 (毕业生班未实现整班移交). The primary school and the receiving junior
	// school both see the case (labels kongchuo.io/school and kongchuo.io/receiving-school).
	CaseNotHandedOver CaseType = "NotHandedOver"
)

// Stage is where a case stands on the escalation ladder.
// +kubebuilder:validation:Enum=SchoolReported;TownshipReported;ReturnNoticeIssued;LegalAction;Returned;Closed
type Stage string

const (
	// StageSchoolReported: reported to the school office; principal and homeroom teacher visit, persuasion letter.
	StageSchoolReported Stage = "SchoolReported"
	// StageTownshipReported: the school filed a dropout report; village cadres join the visits.
	StageTownshipReported Stage = "TownshipReported"
	// StageReturnNoticeIssued: the township issued a return-to-school notice with a deadline.
	StageReturnNoticeIssued Stage = "ReturnNoticeIssued"
	// StageLegalAction: the notice's deadline passed; administrative penalty or legal action (依法控辍).
	StageLegalAction Stage = "LegalAction"
	// StageReturned: attending again and followed up before the case closes.
	StageReturned Stage = "Returned"
	// StageClosed: struck off the ledger (销号).
	StageClosed Stage = "Closed"
)

// ActionType is something a responsible person did on a case.
// +kubebuilder:validation:Enum=PhoneCall;HomeVisit;PersuasionLetter;DropoutReport;ReturnNotice;LegalReferral;SupportGranted
type ActionType string

const (
	ActionPhoneCall        ActionType = "PhoneCall"        // 电话联系
	ActionHomeVisit        ActionType = "HomeVisit"        // 家访 / 劝返
	ActionPersuasionLetter ActionType = "PersuasionLetter" // 劝学书
	ActionDropoutReport    ActionType = "DropoutReport"    // 辍学报告书
	ActionReturnNotice     ActionType = "ReturnNotice"     // 复学通知书
	ActionLegalReferral    ActionType = "LegalReferral"    // 依法控辍
	ActionSupportGranted   ActionType = "SupportGranted"   // 资助 / 帮扶
)

// Cause is the main reason the child is out of school, as the visits found it.
// +kubebuilder:validation:Enum=Unknown;LearningDifficulty;FamilyHardship;WorkingOrMigrating;Illness;Disability;Marriage;FarFromSchool;TruancyOrAddiction;Other
type Cause string

// The causes the documents ask counties to find out (摸清辍学的原因).
const (
	CauseUnknown            Cause = "Unknown"            // 未查明
	CauseLearningDifficulty Cause = "LearningDifficulty" // 学习困难 / 厌学
	CauseFamilyHardship     Cause = "FamilyHardship"     // 家庭贫困
	CauseWorkingOrMigrating Cause = "WorkingOrMigrating" // 外出务工 / 随父母外出
	CauseIllness            Cause = "Illness"            // 疾病
	CauseDisability         Cause = "Disability"         // 残疾
	CauseMarriage           Cause = "Marriage"           // 早婚
	CauseFarFromSchool      Cause = "FarFromSchool"      // 路远上学难
	CauseTruancyOrAddiction Cause = "TruancyOrAddiction" // 逃学 / 沉迷网络
	CauseOther              Cause = "Other"              // 其他
)

// Placement is where a child persuaded back (劝返) now learns, or that they did not return.
// +kubebuilder:validation:Enum=OwnSchool;OtherSchool;VocationalSchool;SpecialSchool;HomeTeaching;NotReturned
type Placement string

const (
	PlacementOwnSchool        Placement = "OwnSchool"        // 回原校就读
	PlacementOtherSchool      Placement = "OtherSchool"      // 转入县内其他学校
	PlacementVocationalSchool Placement = "VocationalSchool" // 职业学校
	PlacementSpecialSchool    Placement = "SpecialSchool"    // 特殊教育学校
	PlacementHomeTeaching     Placement = "HomeTeaching"     // 送教上门
	PlacementNotReturned      Placement = "NotReturned"      // 未返校
)

// Outcome of an action.
// +kubebuilder:validation:Enum=NoContact;Contacted;Refused;Promised;Returned
type Outcome string

// CaseAction is one recorded action. Record truthfully (真实记录): date, who, line and outcome.
type CaseAction struct {
	// Type of action.
	Type ActionType `json:"type"`
	// Date the action took place.
	Date Date `json:"date"`
	// By is the role or name of whoever acted.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	By string `json:"by"`
	// Line the actor answers on.
	Line Line `json:"line"`
	// Outcome of the action.
	// +optional
	Outcome Outcome `json:"outcome,omitempty"`
	// Deadline given by a return notice (复学通知书). When empty, the notice gives the returnNoticeDays
	// of the applicable terms (default 15 days).
	// +optional
	Deadline Date `json:"deadline,omitempty"`
	// Note about the action. Do not write ID numbers or phone numbers here.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	// +kubebuilder:validation:XValidation:rule="!self.matches('[0-9]{6,}|[0-9]{3}[- ][0-9]{4}[- ][0-9]{4}')",message="seems to contain an ID or phone number: do not write personal data in notes"
	Note string `json:"note,omitempty"`
}

// Closure closes a case by decision of an authorised person.
type Closure struct {
	// By is the authorised person or role closing the case.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	By string `json:"by"`
	// Reason the case is closed. Do not write ID numbers or phone numbers here.
	// +kubebuilder:validation:MinLength=5
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	// +kubebuilder:validation:XValidation:rule="!self.matches('[0-9]{6,}|[0-9]{3}[- ][0-9]{4}[- ][0-9]{4}')",message="seems to contain an ID or phone number: do not write personal data in notes"
	Reason string `json:"reason"`
	// Date of the decision.
	Date Date `json:"date"`
}

// DropoutCaseSpec is one episode of one child out of school (一生一案). The controller creates it;
// people add actions, the cause, and (authorised staff) a closure.
// +kubebuilder:validation:XValidation:rule="self.student == oldSelf.student && self.type == oldSelf.type && self.opened == oldSelf.opened",message="student, type and opened identify the case and cannot change"
// +kubebuilder:validation:XValidation:rule="!has(self.actions) || self.actions.all(a, !has(a.deadline) || a.deadline > a.date)",message="an action's deadline must come after the date of the action"
// +kubebuilder:validation:XValidation:rule="!has(self.actions) || self.actions.all(a, a.date >= self.opened)",message="an action cannot be dated before the case was opened (spec.opened): check the date of the action"
// +kubebuilder:validation:XValidation:rule="!has(self.closure) || self.closure.date >= self.opened",message="a case cannot be closed before it was opened (spec.opened): check the date of the closure"
type DropoutCaseSpec struct {
	// Student is the name of the Student the case is about.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Student string `json:"student"`
	// Type of case: DroppedOut (辍学) or NotEnrolled (失学).
	Type CaseType `json:"type"`
	// Opened is the first day of the episode: the first unexcused day, or the day the child was found not enrolled.
	Opened Date `json:"opened"`
	// Cause found by the visits.
	// +optional
	Cause Cause `json:"cause,omitempty"`
	// Placement is where the child learns after persuasion (劝返), recorded by the school line when the
	// child returns or the case closes.
	// +optional
	Placement Placement `json:"placement,omitempty"`
	// Actions recorded on the case, in any order.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	Actions []CaseAction `json:"actions,omitempty"`
	// Closure by an authorised person, with a reason.
	// +optional
	Closure *Closure `json:"closure,omitempty"`
}

// Assignee is a responsible person on a case.
type Assignee struct {
	// Role of the assignee.
	Role Role `json:"role"`
	// Name of the assignee.
	// +optional
	Name string `json:"name,omitempty"`
	// Agreement that names the assignee.
	Agreement string `json:"agreement"`
}

// Assignees on both lines at the case's current stage.
type Assignees struct {
	// Education line assignees (学校一条线): the class teacher or 包人 subject teacher first, then
	// the principal.
	// +optional
	// +listType=atomic
	Education []Assignee `json:"education,omitempty"`
	// Government line assignees (政府一条线), from TownshipReported on: the village group leader,
	// village cadre and township cadre, and the county at LegalAction.
	// +optional
	// +listType=atomic
	Government []Assignee `json:"government,omitempty"`
}

// AssigneeChange records a change of hands on a case.
type AssigneeChange struct {
	// Time of the change.
	Time metav1.Time `json:"time"`
	// Line on which the hands changed.
	Line Line `json:"line"`
	// Role that changed hands.
	Role Role `json:"role"`
	// From is the previous assignee's name (empty when the role was added).
	// +optional
	From string `json:"from,omitempty"`
	// To is the new assignee's name (empty when the role was removed).
	// +optional
	To string `json:"to,omitempty"`
}

// StageChange records a move on the ladder.
type StageChange struct {
	// Stage entered.
	Stage Stage `json:"stage"`
	// Time it was entered.
	Time metav1.Time `json:"time"`
	// Reason for the move.
	Reason string `json:"reason"`
}

// DropoutCaseStatus is where the case stands.
type DropoutCaseStatus struct {
	// ObservedGeneration is the generation of the spec this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Stage on the ladder.
	// +optional
	Stage Stage `json:"stage,omitempty"`
	// StageEntered is when the current stage began.
	// +optional
	StageEntered *metav1.Time `json:"stageEntered,omitempty"`
	// DaysAbsent is the child's current run of unexcused school days.
	// +optional
	DaysAbsent int32 `json:"daysAbsent,omitempty"`
	// NextDeadline is the moment the action the stage requires becomes late (the start of the day
	// after DueBy), or the return notice's deadline passes.
	// +optional
	NextDeadline *metav1.Time `json:"nextDeadline,omitempty"`
	// DueBy is the last day, local time, on which the required action is on time.
	// +optional
	DueBy Date `json:"dueBy,omitempty"`
	// RequiredAction is the action due by NextDeadline.
	// +optional
	RequiredAction ActionType `json:"requiredAction,omitempty"`
	// RequiredLine is the line whose assignees owe RequiredAction.
	// +optional
	RequiredLine Line `json:"requiredLine,omitempty"`
	// Owner is who owes RequiredAction: the first assignee on RequiredLine (the person's name,
	// else the role).
	// +optional
	Owner string `json:"owner,omitempty"`
	// School, Village and Township of the child, copied from the Student for listing and filtering.
	// +optional
	School SchoolCode `json:"school,omitempty"`
	// +optional
	Village VillageCode `json:"village,omitempty"`
	// +optional
	Township TownshipCode `json:"township,omitempty"`
	// VisitsRecorded is the number of home visits recorded.
	// +optional
	VisitsRecorded int32 `json:"visitsRecorded,omitempty"`
	// VisitsRequired before a dropout report.
	// +optional
	VisitsRequired int32 `json:"visitsRequired,omitempty"`
	// FollowUpDays attended since the child returned.
	// +optional
	FollowUpDays int32 `json:"followUpDays,omitempty"`
	// Assignees at the current stage.
	// +optional
	Assignees Assignees `json:"assignees,omitempty"`
	// AssigneeHistory lists changes of hands, oldest first (the latest 50).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	AssigneeHistory []AssigneeChange `json:"assigneeHistory,omitempty"`
	// History lists the stages entered, oldest first (the latest 50).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	History []StageChange `json:"history,omitempty"`
	// ClosedReason says why the case closed: Returned, Enrolled, Transferred, StudyingElsewhere,
	// Suspended, Deferred, HomeDelivered, Completed, NotSchoolAge or ClosedByDecision.
	// +optional
	ClosedReason string `json:"closedReason,omitempty"`
	// Conditions: Assigned, Overdue, Escalated, Resolved, Ready; Conflict (with Stalled) on a case
	// that breaks one case per child and is held; FutureDate while actions are dated after tomorrow.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// DropoutCase condition types.
const (
	CaseAssigned  = "Assigned"
	CaseOverdue   = "Overdue"
	CaseEscalated = "Escalated"
	CaseResolved  = "Resolved"
	// CaseConflict is True on a case that breaks one case per child (一生一案): a second open case
	// beside the manager's, a case that opens after tomorrow, or one whose Student does not exist.
	// It is held: neither adopted nor walked along the ladder, and listed apart by the ledger.
	CaseConflict = "Conflict"
	// CaseFutureDate is True while recorded actions are dated after tomorrow: they do not count
	// until the day before their date (the API cannot refuse them: actions arrive by update, and
	// CEL has no clock).
	CaseFutureDate = "FutureDate"
)

// DropoutCase is one episode of one child out of school (一生一案), owned by its Student.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=dc,categories=kongchuo
// +kubebuilder:printcolumn:name="Child",type=string,JSONPath=`.spec.student`,description="The child's Student object (a pseudonym)"
// +kubebuilder:printcolumn:name="School",type=string,JSONPath=`.status.school`
// +kubebuilder:printcolumn:name="Village",type=string,JSONPath=`.status.village`
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.stage`
// +kubebuilder:printcolumn:name="Days",type=integer,JSONPath=`.status.daysAbsent`,description="Consecutive unexcused school days"
// +kubebuilder:printcolumn:name="Action",type=string,JSONPath=`.status.requiredAction`,description="The action due next"
// +kubebuilder:printcolumn:name="Owner",type=string,JSONPath=`.status.owner`,description="Who owes the next action"
// +kubebuilder:printcolumn:name="Due-By",type=string,JSONPath=`.status.dueBy`,description="Last day (county time) the next action is on time"
// +kubebuilder:printcolumn:name="Overdue",type=string,JSONPath=`.status.conditions[?(@.type=="Overdue")].status`
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`,priority=1
// +kubebuilder:printcolumn:name="Education",type=string,JSONPath=`.status.assignees.education[0].name`,description="First assignee on the education line",priority=1
// +kubebuilder:printcolumn:name="Government",type=string,JSONPath=`.status.assignees.government[0].name`,description="First assignee on the government line",priority=1
// +kubebuilder:printcolumn:name="Visits",type=integer,JSONPath=`.status.visitsRecorded`,priority=1
// +kubebuilder:printcolumn:name="Opened",type=string,JSONPath=`.spec.opened`,priority=1
type DropoutCase struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec DropoutCaseSpec `json:"spec"`
	// +kubebuilder:default={observedGeneration: 0}
	Status DropoutCaseStatus `json:"status,omitempty"` // the default makes kstatus (Flux) see a new object as in progress until reconciled
}

// DropoutCaseList is a list of DropoutCases.
// +kubebuilder:object:root=true
type DropoutCaseList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DropoutCase `json:"items"`
}

func init() {
	SchemeBuilder.Register(&DropoutCase{}, &DropoutCaseList{})
}
