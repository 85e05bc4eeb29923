package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReportLevel is the level a monthly report sums up.
// +kubebuilder:validation:Enum=School;Township;County
type ReportLevel string

const (
	ReportSchool   ReportLevel = "School"
	ReportTownship ReportLevel = "Township"
	ReportCounty   ReportLevel = "County"
)

// ReportPeriod is what a report sums up: a month (月报), a semester (学期汇总, written in January for
// the autumn term and in July for the spring term) or a school year (学年汇总, written in July).
// +kubebuilder:validation:Enum=Month;Semester;SchoolYear
type ReportPeriod string

const (
	PeriodMonth      ReportPeriod = "Month"
	PeriodSemester   ReportPeriod = "Semester"
	PeriodSchoolYear ReportPeriod = "SchoolYear"
)

// ReturnedCounts counts the children persuaded back (劝返) in the period, by where they now learn.
type ReturnedCounts struct {
	// Total returned in the period.
	Total int32 `json:"total,omitempty"`
	// OwnSchool: back in their own school (回原校).
	OwnSchool int32 `json:"ownSchool,omitempty"`
	// OtherSchool: in another school of the county.
	OtherSchool int32 `json:"otherSchool,omitempty"`
	// VocationalSchool: in a vocational school (职业学校).
	VocationalSchool int32 `json:"vocationalSchool,omitempty"`
	// SpecialSchool: in a special school (特殊教育学校).
	SpecialSchool int32 `json:"specialSchool,omitempty"`
	// HomeTeaching: taught at home (送教上门).
	HomeTeaching int32 `json:"homeTeaching,omitempty"`
	// Unrecorded: returned with no placement recorded on the case.
	Unrecorded int32 `json:"unrecorded,omitempty"`
}

// ReportCompliance is the period's roll-call reporting (零报告): a class that did not report on a
// day its school reported is a missing roll call.
type ReportCompliance struct {
	// SchoolDays on which any class in scope reported.
	SchoolDays int32 `json:"schoolDays,omitempty"`
	// RollCalls received (one per class per school day).
	RollCalls int32 `json:"rollCalls,omitempty"`
	// MissingRollCalls: class-days on which the school reported and the class did not.
	MissingRollCalls int32 `json:"missingRollCalls,omitempty"`
	// ClassesMissing: classes with at least one missing roll call.
	ClassesMissing int32 `json:"classesMissing,omitempty"`
}

// CaseEvent is what happened to a case in the period.
// +kubebuilder:validation:Enum=Opened;Confirmed;Returned;Open
type CaseEvent string

const (
	CaseEventOpened    CaseEvent = "Opened"
	CaseEventConfirmed CaseEvent = "Confirmed"
	CaseEventReturned  CaseEvent = "Returned"
	CaseEventOpen      CaseEvent = "Open"
)

// CaseRef names a case the report counts: the case, never the child.
type CaseRef struct {
	// Name of the DropoutCase.
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Stage of the case on the cut-off day.
	// +optional
	Stage Stage `json:"stage,omitempty"`
	// Event in the period: Opened, Confirmed (reached the township), Returned, or still Open.
	Event CaseEvent `json:"event"`
	// Placement of a returned child.
	// +optional
	Placement Placement `json:"placement,omitempty"`
}

// ReportFigures are the figures of one scope as of the cut-off day. Written once, never changed.
type ReportFigures struct {
	// From is the first day the period covers (the previous cut-off day).
	From Date `json:"from"`
	// To is the last day the period covers (the day before the cut-off day).
	To Date `json:"to"`
	// Coverage of the scope on the cut-off day: enrolment, attendance, open cases by stage, focus
	// groups (重点群体) counted separately.
	Coverage Coverage `json:"coverage"`
	// Rates on the cut-off day.
	// +optional
	Rates Rates `json:"rates,omitempty"`
	// Targets the rates are judged against (after inheritance).
	// +optional
	Targets Targets `json:"targets,omitempty"`
	// TargetsMet is true when every target set is met.
	TargetsMet bool `json:"targetsMet"`
	// Missed lists the targets missed.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=128
	Missed []string `json:"missed,omitempty"`
	// Assessment on the cut-off day; set only in the assessment months of the terms.
	// +optional
	Assessment *AssessmentResult `json:"assessment,omitempty"`
	// NewSuspected: DroppedOut cases opened in the period (疑似辍学).
	// +optional
	NewSuspected int32 `json:"newSuspected,omitempty"`
	// NewNotEnrolled: NotEnrolled cases (失学) opened in the period.
	// +optional
	NewNotEnrolled int32 `json:"newNotEnrolled,omitempty"`
	// NewConfirmed: cases that reached the township (confirmed dropouts) in the period.
	// +optional
	NewConfirmed int32 `json:"newConfirmed,omitempty"`
	// Returned in the period (劝返), by placement.
	// +optional
	Returned ReturnedCounts `json:"returned,omitempty"`
	// Reporting compliance of the period's roll calls.
	// +optional
	Reporting ReportCompliance `json:"reporting,omitempty"`
	// Cases the period moved, and the cases still open.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=2000
	Cases []CaseRef `json:"cases,omitempty"`
	// CasesOmitted counts the cases left out of cases past its 2000 entries.
	// +optional
	CasesOmitted int32 `json:"casesOmitted,omitempty"`
	// Retention is the three-year retention (三年保存率) of a school-year summary: its grade-9 pupils
	// against the grade-7 intake of the scope's September report two school years before. Absent
	// on other reports, and when that report does not exist.
	// +optional
	Retention *CohortRetention `json:"retention,omitempty"`
}

// CohortRetention is a cohort's three-year retention (三年保存率) on a school-year summary.
type CohortRetention struct {
	// IntakeReport is the MonthlyReport the intake is read from (学年初报初一学生人数).
	// +kubebuilder:validation:MaxLength=253
	IntakeReport string `json:"intakeReport"`
	// Intake is the grade-7 pupils in school in that report.
	Intake int32 `json:"intake"`
	// Grade9 is the grade-9 pupils in school on the summary's cut-off day.
	Grade9 int32 `json:"grade9"`
	// Rate is grade9 / intake in percent, rounded down. Transfers are not netted out, so it can
	// exceed 100; empty without an intake.
	// +optional
	// +kubebuilder:validation:MaxLength=9
	// +kubebuilder:validation:Pattern=`^[0-9]{1,6}([.][0-9]{1,2})?$`
	Rate string `json:"rate,omitempty"`
}

// Confirmation records who confirmed a report and when.
type Confirmation struct {
	// By is the Kubernetes user name of the person who confirmed (the admission policy checks it is
	// the requester).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	By string `json:"by"`
	// At is when the report was confirmed.
	At metav1.Time `json:"at"`
}

// MonthlyReportSpec is one scope's monthly report (月报). The controller writes it once on the
// cut-off day; only the confirmation is added afterwards, once.
// +kubebuilder:validation:XValidation:rule="self.level != 'School' || has(self.school)",message="a school report names its school"
// +kubebuilder:validation:XValidation:rule="self.level != 'Township' || has(self.township)",message="a township report names its township"
// +kubebuilder:validation:XValidation:rule="self.level == oldSelf.level && self.month == oldSelf.month && self.cutOff == oldSelf.cutOff && self.due == oldSelf.due && self.agreement == oldSelf.agreement && (has(self.period) ? self.period : 'Month') == (has(oldSelf.period) ? oldSelf.period : 'Month')",message="a monthly report is written once on its cut-off day: only its confirmation can be added"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.confirmation) || (has(self.confirmation) && self.confirmation == oldSelf.confirmation)",message="a confirmed report cannot be changed or unconfirmed"
type MonthlyReportSpec struct {
	// Level of the report: School, Township or County.
	Level ReportLevel `json:"level"`
	// School of a school report.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="the school of a report cannot change"
	School SchoolCode `json:"school,omitempty"`
	// Township of a township report, and the township a school report is summed into (from the
	// school's catchment villages).
	// +optional
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="the township of a report cannot change"
	Township TownshipCode `json:"township,omitempty"`
	// Period the report sums up: Month (月报, the default), Semester (学期汇总, written on the
	// January and July cut-off days) or SchoolYear (学年汇总, written on the July cut-off day).
	// +optional
	// +kubebuilder:default=Month
	Period ReportPeriod `json:"period,omitempty"`
	// Month reported (for a summary, the month of its cut-off day), written YYYY-MM.
	// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])$`
	Month string `json:"month"`
	// CutOff is the day the report was written, with the figures as of that day.
	CutOff Date `json:"cutOff"`
	// Due is the last day to confirm the report; unconfirmed after it, the report is Late.
	Due Date `json:"due"`
	// ScopeName is the name of the school, township or county, from the organisation of its
	// agreement's responsible party, so that ledgers and exports show names beside the codes.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	ScopeName string `json:"scopeName,omitempty"`
	// Agreement whose responsible party answers for the report.
	// +kubebuilder:validation:MaxLength=253
	Agreement string `json:"agreement"`
	// Figures as of the cut-off day.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="a report's figures are written once on its cut-off day and never change"
	Figures ReportFigures `json:"figures"`
	// Confirmation by the responsible person (kubectl kongchuo report confirm).
	// +optional
	Confirmation *Confirmation `json:"confirmation,omitempty"`
}

// SchoolReportState is one school report a township or county report sums up.
type SchoolReportState struct {
	// Report is the MonthlyReport's name.
	Report string `json:"report"`
	// School code.
	School SchoolCode `json:"school"`
	// Confirmed by its responsible person.
	Confirmed bool `json:"confirmed"`
	// Late: not confirmed by its due day.
	Late bool `json:"late"`
}

// MonthlyReportStatus is derived from the report's spec and the clock, and for a township from its
// schools' reports.
type MonthlyReportStatus struct {
	// ObservedGeneration is the generation of the spec this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Schools lists a township report's school reports with their confirmation.
	// +optional
	// +listType=map
	// +listMapKey=report
	// +kubebuilder:validation:MaxItems=500
	Schools []SchoolReportState `json:"schools,omitempty"`
	// Conditions: Confirmed, Late, Ready.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// MonthlyReport condition types.
const (
	ReportConfirmed = "Confirmed"
	ReportLate      = "Late"
)

// MonthlyReport is one month's report (月报) of a school, a township or the county, written by the
// controller on its cut-off day and confirmed by the responsible person.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=mr,categories=kongchuo
// +kubebuilder:printcolumn:name="Level",type=string,JSONPath=`.spec.level`
// +kubebuilder:printcolumn:name="School",type=string,JSONPath=`.spec.school`
// +kubebuilder:printcolumn:name="Township",type=string,JSONPath=`.spec.township`
// +kubebuilder:printcolumn:name="Period",type=string,JSONPath=`.spec.period`
// +kubebuilder:printcolumn:name="Month",type=string,JSONPath=`.spec.month`
// +kubebuilder:printcolumn:name="Dropouts",type=integer,JSONPath=`.spec.figures.coverage.openCases.townshipReported`,description="Confirmed dropouts open on the cut-off day (at TownshipReported)"
// +kubebuilder:printcolumn:name="Returned",type=integer,JSONPath=`.spec.figures.returned.total`,description="Children persuaded back in the period"
// +kubebuilder:printcolumn:name="Dropout-%",type=string,JSONPath=`.spec.figures.rates.schoolYearDropout`,description="School year's dropout rate in percent"
// +kubebuilder:printcolumn:name="Max-%",type=string,JSONPath=`.spec.figures.targets.maxDropout`,description="Dropout target in percent"
// +kubebuilder:printcolumn:name="Targets-Met",type=boolean,JSONPath=`.spec.figures.targetsMet`
// +kubebuilder:printcolumn:name="Confirmed",type=string,JSONPath=`.status.conditions[?(@.type=="Confirmed")].status`
// +kubebuilder:printcolumn:name="Late",type=string,JSONPath=`.status.conditions[?(@.type=="Late")].status`
// +kubebuilder:printcolumn:name="Due",type=string,JSONPath=`.spec.due`,priority=1
type MonthlyReport struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec MonthlyReportSpec `json:"spec"`
	// +kubebuilder:default={observedGeneration: 0}
	Status MonthlyReportStatus `json:"status,omitempty"`
}

// MonthlyReportList is a list of MonthlyReports.
// +kubebuilder:object:root=true
type MonthlyReportList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MonthlyReport `json:"items"`
}

func init() {
	SchemeBuilder.Register(&MonthlyReport{}, &MonthlyReportList{})
}
