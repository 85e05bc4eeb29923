package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SupportMeasure is a kind of support the policy documents require for children at risk.
// +kubebuilder:validation:Enum=Aid;HomeTeaching;Pairing
type SupportMeasure string

const (
	// SupportAid: financial aid (两免一补, 建档立卡 subsidies): "贫困资助全到位，一分不落".
	SupportAid SupportMeasure = "Aid"
	// SupportHomeTeaching: home-delivered teaching (送教上门): "每周送教不少于2次，每次不少于3个学时".
	SupportHomeTeaching SupportMeasure = "HomeTeaching"
	// SupportPairing: a teacher paired with the child (结对帮扶, 一帮一).
	SupportPairing SupportMeasure = "Pairing"
)

// AidKind says which scheme an aid payment comes from.
// +kubebuilder:validation:Enum=TwoExemptionsOneSubsidy;PovertySubsidy;Boarding;Other
type AidKind string

const (
	AidTwoExemptionsOneSubsidy AidKind = "TwoExemptionsOneSubsidy" // 两免一补
	AidPovertySubsidy          AidKind = "PovertySubsidy"          // 建档立卡资助
	AidBoarding                AidKind = "Boarding"                // 寄宿生生活补助
	AidOther                   AidKind = "Other"
)

// AidGrant is one payment or exemption granted to the child.
type AidGrant struct {
	// Date the aid was paid or granted.
	Date Date `json:"date"`
	// Kind of aid.
	Kind AidKind `json:"kind"`
	// AmountYuan is the amount in yuan (元), 0 for an exemption.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	AmountYuan int32 `json:"amountYuan"`
	// By is who granted it (an office or a role, for example 学校资助办).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	By string `json:"by"`
}

// HomeTeachingSession is one home-delivered lesson (送教上门).
type HomeTeachingSession struct {
	// Date of the session.
	Date Date `json:"date"`
	// Hours are the class hours (学时) taught.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=12
	Hours int32 `json:"hours"`
	// Teachers who went (the policy asks for at least 2 per session).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	Teachers int32 `json:"teachers,omitempty"`
	// By is the teacher (or team) who records the session.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	By string `json:"by"`
}

// Pairing is one teacher paired with the child (结对帮扶, 一帮一).
type Pairing struct {
	// Since is the first day of the pairing.
	Since Date `json:"since"`
	// Until is the last day; empty while it lasts.
	// +optional
	Until Date `json:"until,omitempty"`
	// By is the paired teacher or cadre.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	By string `json:"by"`
	// Role of the paired person.
	// +optional
	Role Role `json:"role,omitempty"`
}

// SupportRecordSpec is the support one child received in one school year: who, when, what, and
// the amount or the hours.
type SupportRecordSpec struct {
	// Student is the name of the child's Student.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Student string `json:"student"`
	// SchoolYear is the first day of the school year the record covers (for example 2026-09-01).
	SchoolYear Date `json:"schoolYear"`
	// Aid granted (两免一补, 建档立卡 subsidies).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	Aid []AidGrant `json:"aid,omitempty"`
	// Sessions of home-delivered teaching (送教上门).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=250
	Sessions []HomeTeachingSession `json:"sessions,omitempty"`
	// Pairings with a teacher (结对帮扶).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Pairings []Pairing `json:"pairings,omitempty"`
}

// SupportRecord is the support one child received in one school year (资助、送教上门、结对帮扶),
// kept beside the Student so that a year of sessions never weighs on the Student. It has no
// status: what the rules make of it is on the Student (the SupportMissing condition).
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=sup,categories=kongchuo
// +kubebuilder:printcolumn:name="Student",type=string,JSONPath=`.spec.student`
// +kubebuilder:printcolumn:name="School-Year",type=string,JSONPath=`.spec.schoolYear`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type SupportRecord struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec SupportRecordSpec `json:"spec"`
}

// SupportRecordList is a list of SupportRecords.
// +kubebuilder:object:root=true
type SupportRecordList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SupportRecord `json:"items"`
}

// SupportTerms say which support the focus groups need and what 送教上门 must deliver.
type SupportTerms struct {
	// Required lists, per focus group, the measures a child of that group needs while at risk
	// (AtRisk or an open case). Unset: RegisteredPoor needs Aid, LeftBehind and
	// LearningDifficulty need Pairing (policy 001, 002). A child with enrolment HomeDelivered
	// always needs HomeTeaching.
	// +optional
	// +listType=map
	// +listMapKey=focusGroup
	// +kubebuilder:validation:MaxItems=5
	Required []SupportRequirement `json:"required,omitempty"`
	// HomeTeachingSessionsPerWeek is the least number of sessions a week (default 2).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=7
	HomeTeachingSessionsPerWeek *int32 `json:"homeTeachingSessionsPerWeek,omitempty"`
	// HomeTeachingMinHours are the class hours a session needs to count (default 3).
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=12
	HomeTeachingMinHours *int32 `json:"homeTeachingMinHours,omitempty"`
}

// SupportRequirement is the support one focus group needs.
type SupportRequirement struct {
	// FocusGroup the requirement is for.
	FocusGroup FocusGroup `json:"focusGroup"`
	// Measures the group needs; empty means none.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=3
	Measures []SupportMeasure `json:"measures,omitempty"`
}

// StudentSupportMissing: the child needs support the terms require and has not received it
// (for 送教上门, a week with fewer sessions than required). Present only while True.
const StudentSupportMissing = "SupportMissing"

// Reasons of the SupportMissing condition.
const (
	ReasonAidMissing            = "AidMissing"
	ReasonPairingMissing        = "PairingMissing"
	ReasonHomeTeachingShortWeek = "HomeTeachingShortWeek"
)

func init() {
	SchemeBuilder.Register(&SupportRecord{}, &SupportRecordList{})
}
