package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// EnrolmentStatus says where a child stands with respect to school.
// +kubebuilder:validation:Enum=Enrolled;NotEnrolled;TransferredOut;SuspendedForIllness;Deferred;HomeDelivered;StudyingElsewhere;Completed
type EnrolmentStatus string

const (
	// EnrolmentEnrolled: on the roll of a school, grade and class in this county (在籍).
	EnrolmentEnrolled EnrolmentStatus = "Enrolled"
	// EnrolmentNotEnrolled: known to the county but on no school's roll (失学 when of school age).
	EnrolmentNotEnrolled EnrolmentStatus = "NotEnrolled"
	// EnrolmentTransferredOut: moved to a school outside the county (转学); needs the receiving school's certificate.
	EnrolmentTransferredOut EnrolmentStatus = "TransferredOut"
	// EnrolmentSuspendedForIllness: suspension of schooling for illness (休学); needs a hospital certificate and an approval.
	EnrolmentSuspendedForIllness EnrolmentStatus = "SuspendedForIllness"
	// EnrolmentDeferred: deferred enrolment (延缓入学), at most once and never past age 7.
	EnrolmentDeferred EnrolmentStatus = "Deferred"
	// EnrolmentHomeDelivered: home-delivered education for a child with a disability (送教上门).
	EnrolmentHomeDelivered EnrolmentStatus = "HomeDelivered"
	// EnrolmentStudyingElsewhere: studying outside the county (异地就读); needs a certificate from that school.
	EnrolmentStudyingElsewhere EnrolmentStatus = "StudyingElsewhere"
	// EnrolmentCompleted: completed the nine years of compulsory education.
	EnrolmentCompleted EnrolmentStatus = "Completed"
)

// FocusGroup is a group the policy asks counties to follow separately (重点群体).
// +kubebuilder:validation:Enum=LeftBehind;Disability;RegisteredPoor;Migrant;LearningDifficulty
type FocusGroup string

const (
	FocusLeftBehind         FocusGroup = "LeftBehind"         // 留守儿童
	FocusDisability         FocusGroup = "Disability"         // 残疾儿童
	FocusRegisteredPoor     FocusGroup = "RegisteredPoor"     // 建档立卡
	FocusMigrant            FocusGroup = "Migrant"            // 随迁子女
	FocusLearningDifficulty FocusGroup = "LearningDifficulty" // 学困生
)

// Sex is the child's sex as the registry records it (性别).
// +kubebuilder:validation:Enum=Male;Female
type Sex string

const (
	SexMale   Sex = "Male"   // 男
	SexFemale Sex = "Female" // 女
)

// Residence is where the child lives, by administrative code. It decides the government line.
// +kubebuilder:validation:XValidation:rule="!has(self.village) || self.village.startsWith(self.township)",message="the village code must begin with the township code"
// +kubebuilder:validation:XValidation:rule="!has(self.group) || (has(self.village) && self.group.startsWith(self.village))",message="a village group needs its village, and the group code must begin with the village code"
type Residence struct {
	// Township (乡镇) where the child lives.
	Township TownshipCode `json:"township"`
	// Village (村) where the child lives.
	// +optional
	Village VillageCode `json:"village,omitempty"`
	// Group is the village group (村民小组) where the child lives.
	// +optional
	Group GroupCode `json:"group,omitempty"`
}

// Evidence backs a legitimate reason for not attending a school of this county. Without a
// certificate, or once it has expired, the child is treated as not attending (视同辍学).
type Evidence struct {
	// Certificate is the reference number of the supporting document: the receiving school's
	// acceptance (转学), the hospital certificate (休学), the deferral approval, the home-education
	// plan, or the other school's attendance certificate. Leave it empty while it is missing.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Certificate string `json:"certificate,omitempty"`
	// IssuedBy is the organisation that issued the certificate.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	IssuedBy string `json:"issuedBy,omitempty"`
	// ReceivingSchool is the school the child moved to or studies at (transfers, studying elsewhere).
	// +optional
	// +kubebuilder:validation:MaxLength=128
	ReceivingSchool string `json:"receivingSchool,omitempty"`
	// ApprovedBy is the authority that approved a suspension, deferral or home-delivered education.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	ApprovedBy string `json:"approvedBy,omitempty"`
	// IssuedOn is the date of the certificate.
	// +optional
	IssuedOn Date `json:"issuedOn,omitempty"`
	// Until is the last day the evidence covers; from the next day the child counts as not
	// attending (视同辍学), whatever the status. Required for a suspension or deferral; empty means
	// no end date.
	// +optional
	Until Date `json:"until,omitempty"`
}

// Enrolment is the child's place in school (学籍).
// +kubebuilder:validation:XValidation:rule="self.status != 'Enrolled' || (has(self.school) && has(self.grade) && has(self.class))",message="an enrolled child needs school, grade and class"
// +kubebuilder:validation:XValidation:rule="!(self.status in ['TransferredOut','SuspendedForIllness','Deferred','HomeDelivered','StudyingElsewhere']) || has(self.evidence)",message="this status is a legitimate reason for not attending and needs evidence: add enrolment.evidence (without a certificate the child counts as not attending)"
// +kubebuilder:validation:XValidation:rule="!(self.status in ['TransferredOut','StudyingElsewhere']) || (has(self.evidence) && has(self.evidence.receivingSchool))",message="a transfer or study elsewhere needs evidence.receivingSchool: the school the child now attends"
// +kubebuilder:validation:XValidation:rule="!(self.status in ['SuspendedForIllness','Deferred']) || (has(self.evidence) && has(self.evidence.approvedBy) && has(self.evidence.until))",message="a suspension or deferral needs evidence.approvedBy and evidence.until"
type Enrolment struct {
	// Status of the child's enrolment.
	Status EnrolmentStatus `json:"status"`
	// School is the school code (学校标识码) of the school the child is enrolled at (or was, before a transfer).
	// +optional
	School SchoolCode `json:"school,omitempty"`
	// Grade is the year of compulsory education: 1–6 primary, 7–9 junior secondary.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=9
	Grade int32 `json:"grade,omitempty"`
	// Class is the class number within the grade.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	Class int32 `json:"class,omitempty"`
	// Since is the date the current status began.
	// +optional
	Since Date `json:"since,omitempty"`
	// Evidence backs a legitimate reason for not attending.
	// +optional
	Evidence *Evidence `json:"evidence,omitempty"`
	// DeferredBefore records that enrolment was already deferred once; deferral is allowed only once.
	// +optional
	DeferredBefore bool `json:"deferredBefore,omitempty"`
}

// Guardian is a parent or other legal guardian (监护人). Personal data: never logged.
type Guardian struct {
	// Name of the guardian.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Name string `json:"name"`
	// Relation to the child, for example father, mother, grandmother.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Relation string `json:"relation,omitempty"`
	// Phone number of the guardian.
	// +optional
	// +kubebuilder:validation:MaxLength=20
	// +kubebuilder:validation:XValidation:rule="self.matches('^[+]?[0-9][0-9-]{5,19}$')",message="a phone number has digits only, optionally with + and -, for example 13800000000"
	Phone string `json:"phone,omitempty"`
}

// StudentSpec is what the registry knows about a child of the county.
// +kubebuilder:validation:XValidation:rule="has(self.studentNumber) || has(self.residentID)",message="give the national student number (全国学籍号) or the resident ID (身份证号), or both"
// +kubebuilder:validation:XValidation:rule="!has(self.residentID) || !self.residentID.matches('^[1-9][0-9]{16}[0-9X]$') || self.residentID.substring(6, 10) + '-' + self.residentID.substring(10, 12) + '-' + self.residentID.substring(12, 14) == self.birthDate",message="birthDate does not match the birth date inside the resident ID (身份证号, characters 7 to 14)"
// +kubebuilder:validation:XValidation:rule="!has(self.studentNumber) || !(self.studentNumber.matches('^G[1-9][0-9]{16}[0-9X]$') && !format.date().validate(self.studentNumber.substring(7, 11) + '-' + self.studentNumber.substring(11, 13) + '-' + self.studentNumber.substring(13, 15)).hasValue() && ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(int(self.studentNumber.substring(1, 2))*7 + int(self.studentNumber.substring(2, 3))*9 + int(self.studentNumber.substring(3, 4))*10 + int(self.studentNumber.substring(4, 5))*5 + int(self.studentNumber.substring(5, 6))*8 + int(self.studentNumber.substring(6, 7))*4 + int(self.studentNumber.substring(7, 8))*2 + int(self.studentNumber.substring(8, 9))*1 + int(self.studentNumber.substring(9, 10))*6 + int(self.studentNumber.substring(10, 11))*3 + int(self.studentNumber.substring(11, 12))*7 + int(self.studentNumber.substring(12, 13))*9 + int(self.studentNumber.substring(13, 14))*10 + int(self.studentNumber.substring(14, 15))*5 + int(self.studentNumber.substring(15, 16))*8 + int(self.studentNumber.substring(16, 17))*4 + int(self.studentNumber.substring(17, 18))*2) % 11] == self.studentNumber.substring(18, 19)) || (has(self.residentID) ? self.studentNumber.substring(1) == self.residentID : self.studentNumber.substring(7, 11) + '-' + self.studentNumber.substring(11, 13) + '-' + self.studentNumber.substring(13, 15) == self.birthDate)",message="the student number (全国学籍号) is G and a resident ID that is not this child's: it must be G followed by residentID, with the same birth date as birthDate"
// +kubebuilder:validation:XValidation:rule="!has(self.sex) || !has(self.residentID) || size(self.residentID) != 18 || (self.residentID.substring(16, 17) in ['1', '3', '5', '7', '9']) == (self.sex == 'Male')",message="sex (性别) does not match the resident ID: its 17th digit is odd for a boy (男) and even for a girl (女)"
type StudentSpec struct {
	// Name of the child. Personal data: shown to authorised staff, never logged.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule=`!self.matches(r'[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]')`,message="must not contain control characters, line breaks or invisible direction marks (for example U+202E): retype the text"
	Name string `json:"name"`
	// StudentNumber is the national student number (全国学籍号): G, J or L followed by 18
	// characters (for most children G and the resident ID).
	// +optional
	// +kubebuilder:validation:MaxLength=19
	// +kubebuilder:validation:XValidation:rule="self.matches('^[GJL][0-9]{17}[0-9X]$')",message="a national student number (全国学籍号) is G, J or L followed by 17 digits and a digit or X, for example G520121201503150012"
	StudentNumber string `json:"studentNumber,omitempty"`
	// ResidentID is the 18-character resident identity number (身份证号).
	// +optional
	// +kubebuilder:validation:MaxLength=18
	// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9][0-9]{16}[0-9X]$')",message="a resident ID (身份证号) is 17 digits followed by a digit or X (upper case), for example 52012120150315001X"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^[1-9][0-9]{16}[0-9X]$') || !format.date().validate(self.substring(6, 10) + '-' + self.substring(10, 12) + '-' + self.substring(12, 14)).hasValue()",message="characters 7 to 14 of the resident ID (身份证号) are not a real birth date (YYYYMMDD): look for a typing error"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^[1-9][0-9]{16}[0-9X]$') || ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(int(self.substring(0, 1))*7 + int(self.substring(1, 2))*9 + int(self.substring(2, 3))*10 + int(self.substring(3, 4))*5 + int(self.substring(4, 5))*8 + int(self.substring(5, 6))*4 + int(self.substring(6, 7))*2 + int(self.substring(7, 8))*1 + int(self.substring(8, 9))*6 + int(self.substring(9, 10))*3 + int(self.substring(10, 11))*7 + int(self.substring(11, 12))*9 + int(self.substring(12, 13))*10 + int(self.substring(13, 14))*5 + int(self.substring(14, 15))*8 + int(self.substring(15, 16))*4 + int(self.substring(16, 17))*2) % 11] == self.substring(17, 18)",message="the check digit of the resident ID (身份证号) is wrong: the last character does not fit the first 17 digits; look for a typing error"
	ResidentID string `json:"residentID,omitempty"`
	// Sex of the child (性别): Male (男) or Female (女). The ledgers count boys and girls.
	// +optional
	Sex Sex `json:"sex,omitempty"`
	// BirthDate decides school age.
	BirthDate Date `json:"birthDate"`
	// Residence decides the government line of responsibility and the catchment school.
	Residence Residence `json:"residence"`
	// Enrolment is the child's place in school.
	Enrolment Enrolment `json:"enrolment"`
	// Guardians of the child.
	// +optional
	// +kubebuilder:validation:MaxItems=4
	// +listType=atomic
	Guardians []Guardian `json:"guardians,omitempty"`
	// FocusGroups the child belongs to (重点群体), followed and counted separately.
	// +optional
	// +kubebuilder:validation:MaxItems=5
	// +listType=set
	FocusGroups []FocusGroup `json:"focusGroups,omitempty"`
	// NotListedIn are the registries compared for the child's township (四源比对) whose latest
	// extract does not list the child, as `kubectl kongchuo import source` found: StudentRegistry
	// for a child created from a household or poverty extract (失学), Household for a registered
	// pupil the household extract does not know. Empty when every registry compared lists the
	// child: the registries that know a child are those compared minus these, so that the usual
	// child, listed everywhere, carries nothing.
	// +optional
	// +kubebuilder:validation:MaxItems=4
	// +listType=set
	NotListedIn []RegistrySource `json:"notListedIn,omitempty"`
}

// Mark is what a class's roll call said about a child on one school day.
// +kubebuilder:validation:Enum=Present;Unexcused;SickLeave;PersonalLeave;LeftWithoutLeave
type Mark string

const (
	MarkPresent          Mark = "Present"
	MarkUnexcused        Mark = "Unexcused"        // 旷课
	MarkSickLeave        Mark = "SickLeave"        // 病假
	MarkPersonalLeave    Mark = "PersonalLeave"    // 事假
	MarkLeftWithoutLeave Mark = "LeftWithoutLeave" // 擅自离校
)

// SchoolDay is a child's mark on one school day. It is derived from the class's
// ClassAttendance record when needed and never stored on the Student.
type SchoolDay struct {
	// Date of the school day.
	Date Date `json:"date"`
	// Mark the class's roll call gave the child.
	Mark Mark `json:"mark"`
}

// AbsenceCounts counts a child's days of absence by kind. Days present are not counted here: the
// class record counts school days, so that a child present every day costs no Student write.
type AbsenceCounts struct {
	// Unexcused absences (旷课).
	Unexcused int32 `json:"unexcused,omitempty"`
	// SickLeave days.
	SickLeave int32 `json:"sickLeave,omitempty"`
	// PersonalLeave days.
	PersonalLeave int32 `json:"personalLeave,omitempty"`
	// LeftWithoutLeave days.
	LeftWithoutLeave int32 `json:"leftWithoutLeave,omitempty"`
}

// AttendanceSummary is the child's attendance as the class's ClassAttendance record tells it.
// It holds only what changes when the child is absent, so that a child present every day costs
// no write; the days themselves live in the class record.
type AttendanceSummary struct {
	// ConsecutiveUnexcusedDays is the number of recorded school days, up to the latest, on which
	// the child was absent without excuse (旷课 or left without leave). Leave days neither count nor
	// break it.
	ConsecutiveUnexcusedDays int32 `json:"consecutiveUnexcusedDays,omitempty"`
	// AbsentSince is the first school day of the current run of unexcused absence.
	// +optional
	AbsentSince Date `json:"absentSince,omitempty"`
	// TermStart is the first day of the school year Term counts; omitted while Term is empty.
	// +optional
	TermStart Date `json:"termStart,omitempty"`
	// Term counts this school year's days of absence by kind.
	// +optional
	Term AbsenceCounts `json:"term,omitempty"`
}

// ResponsibleParty names who answers for a child on one line.
type ResponsibleParty struct {
	// Agreement is the ResponsibilityAgreement that names the party.
	Agreement string `json:"agreement"`
	// Role of the responsible party.
	Role Role `json:"role"`
	// Name of the responsible person.
	// +optional
	Name string `json:"name,omitempty"`
}

// Responsibility names the responsible party on both lines.
type Responsibility struct {
	// Education line (学校一条线).
	// +optional
	Education *ResponsibleParty `json:"education,omitempty"`
	// Government line (政府一条线).
	// +optional
	Government *ResponsibleParty `json:"government,omitempty"`
}

// StudentStatus is what the controller observed about the child.
type StudentStatus struct {
	// ObservedGeneration is the generation of the spec this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Age in whole years today.
	// +optional
	Age int32 `json:"age,omitempty"`
	// SchoolAge is true while the child is of compulsory-education age.
	// +optional
	SchoolAge bool `json:"schoolAge,omitempty"`
	// Attendance summarises the class reports.
	// +optional
	Attendance AttendanceSummary `json:"attendance,omitempty"`
	// Responsible parties on both lines.
	// +optional
	Responsible Responsibility `json:"responsible,omitempty"`
	// OpenCase is the name of the child's open DropoutCase, if any.
	// +optional
	OpenCase string `json:"openCase,omitempty"`
	// DueActions are the actions the ladder's steps before a case ask for, while the child is at
	// risk (a day absent: the homeroom teacher calls and visits…). Empty otherwise.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	DueActions []DueAction `json:"dueActions,omitempty"`
	// Conditions: Ready (the summary: False with the reason of what needs attention), Enrolled and
	// Attending always; AtRisk, Unassigned, RegistryInconsistent and Stalled only while True
	// (abnormal-true, as Flux's Stalled). Stalled means the agreements' inherited terms make an
	// invalid ladder (the default ladder applies). Reasons: api/v1alpha1/conditions.go.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// DueAction is one action a step of the ladder asks for.
type DueAction struct {
	// Step of the ladder that asks for it.
	Step string `json:"step"`
	// Type of the action.
	Type ActionType `json:"type"`
	// Line that owes it.
	Line Line `json:"line"`
	// Roles that take part.
	// +optional
	// +listType=atomic
	Roles []Role `json:"roles,omitempty"`
	// DueBy is the last day the action is on time.
	DueBy Date `json:"dueBy"`
}

// Student condition types. Enrolled and Attending are always present; the others only while True.
const (
	StudentEnrolled  = "Enrolled"
	StudentAttending = "Attending"
	// StudentAtRisk: unexcused absence reached a step of the ladder before the case opens.
	StudentAtRisk = "AtRisk"
	// StudentUnassigned: no agreement names a responsible party on one of the lines.
	StudentUnassigned = "Unassigned"
	// StudentRegistryInconsistent: another registration with the same ID number (一人一籍), or a
	// roll call of another class naming the child (在籍不在校).
	StudentRegistryInconsistent = "RegistryInconsistent"
)

// Student is one school-age child known to the county, enrolled or not (一生一档).
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=stu,categories=kongchuo
// +kubebuilder:printcolumn:name="School",type=string,JSONPath=`.spec.enrolment.school`
// +kubebuilder:printcolumn:name="Grade",type=integer,JSONPath=`.spec.enrolment.grade`
// +kubebuilder:printcolumn:name="Class",type=integer,JSONPath=`.spec.enrolment.class`
// +kubebuilder:printcolumn:name="Enrolment",type=string,JSONPath=`.spec.enrolment.status`
// +kubebuilder:printcolumn:name="At-Risk",type=string,JSONPath=`.status.conditions[?(@.type=="AtRisk")].status`,description="Absent without excuse, no case yet"
// +kubebuilder:printcolumn:name="Days-Absent",type=integer,JSONPath=`.status.attendance.consecutiveUnexcusedDays`,description="Consecutive unexcused school days"
// +kubebuilder:printcolumn:name="Attending",type=string,JSONPath=`.status.conditions[?(@.type=="Attending")].status`,priority=1
// +kubebuilder:printcolumn:name="Case",type=string,JSONPath=`.status.openCase`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Village",type=string,JSONPath=`.spec.residence.village`,priority=1
// +kubebuilder:printcolumn:name="Age",type=integer,JSONPath=`.status.age`,priority=1
// +kubebuilder:validation:XValidation:rule="!self.metadata.name.matches('[0-9]{17}[0-9Xx]')",message="the object name must not contain an ID number: use an opaque name (kubectl kongchuo import derives one)"
type Student struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec StudentSpec `json:"spec"`
	// +kubebuilder:default={observedGeneration: 0}
	Status StudentStatus `json:"status,omitempty"` // the default makes kstatus (Flux) see a new object as in progress until reconciled
}

// StudentList is a list of Students.
// +kubebuilder:object:root=true
type StudentList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Student `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Student{}, &StudentList{})
}
