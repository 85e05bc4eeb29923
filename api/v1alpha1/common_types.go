package v1alpha1

// Date is a local calendar date, written YYYY-MM-DD (for example 2026-09-01). Dates are
// interpreted in the county's time zone (default Asia/Shanghai).
// +kubebuilder:validation:Type=string
// +kubebuilder:validation:MaxLength=10
// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}$') && !format.date().validate(self).hasValue()",message="must be a real calendar date written YYYY-MM-DD, for example 2026-09-01"
type Date string

// SchoolCode is the 10-digit national school identification code (学校标识码), for example 5201210001.
// +kubebuilder:validation:MaxLength=10
// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]{10}$')",message="a school code (学校标识码) is exactly 10 digits, for example 5201210001"
type SchoolCode string

// TownshipCode is the 9-digit administrative code of a township (乡镇): the 6-digit county code
// followed by 3 digits, for example 520121100.
// +kubebuilder:validation:MaxLength=9
// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9][0-9]{8}$')",message="a township code is 9 digits: the 6-digit county code and 3 digits, for example 520121100"
type TownshipCode string

// VillageCode is the 12-digit administrative code of a village (村/社区): the township code followed
// by 3 digits, for example 520121100201.
// +kubebuilder:validation:MaxLength=12
// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9][0-9]{11}$')",message="a village code is 12 digits: the 9-digit township code and 3 digits, for example 520121100201"
type VillageCode string

// GroupCode identifies a village group (村民小组): the 12-digit village code followed by 3 digits,
// for example 520121100201003.
// +kubebuilder:validation:MaxLength=15
// +kubebuilder:validation:XValidation:rule="self.matches('^[1-9][0-9]{14}$')",message="a village group code is 15 digits: the 12-digit village code and 3 digits, for example 520121100201003"
type GroupCode string

// Percent is a percentage from 0 to 100 with at most two decimals, written as a string so that it
// round-trips exactly (for example "99", "1.5", "100").
// +kubebuilder:validation:MaxLength=6
// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]{1,3}([.][0-9]{1,2})?$') && double(self) <= 100.0",message="must be a percentage from 0 to 100 with at most two decimals, for example 99 or 1.5"
type Percent string

// Line is one of the two lines of responsibility (双线).
// +kubebuilder:validation:Enum=Education;Government
type Line string

const (
	// LineEducation is the school line (学校一条线): county bureau, central school, school, grade, class.
	LineEducation Line = "Education"
	// LineGovernment is the government line (政府一条线): county, township, village, village group.
	LineGovernment Line = "Government"
)

// Role is the office a responsible party holds. Responsibility belongs to the role, not the person.
// +kubebuilder:validation:Enum=CountyGovernment;CountyBureau;CentralSchool;Principal;GradeLeader;HomeroomTeacher;SubjectTeacher;TownshipCadre;VillageCadre;GroupLeader
type Role string

const (
	RoleCountyGovernment Role = "CountyGovernment"
	RoleCountyBureau     Role = "CountyBureau"
	RoleCentralSchool    Role = "CentralSchool"
	RolePrincipal        Role = "Principal"
	RoleGradeLeader      Role = "GradeLeader"
	RoleHomeroomTeacher  Role = "HomeroomTeacher"
	RoleSubjectTeacher   Role = "SubjectTeacher"
	RoleTownshipCadre    Role = "TownshipCadre"
	RoleVillageCadre     Role = "VillageCadre"
	RoleGroupLeader      Role = "GroupLeader"
)

// Common condition types and reasons shared by every kind (kstatus).
const (
	// ConditionReady is True when the object has been reconciled and needs no attention.
	ConditionReady = "Ready"
	// There is no Reconciling condition: every reconcile finishes its work in one pass (it derives the
	// status and writes it once), so "still working" is only ever status.observedGeneration behind
	// metadata.generation, which kstatus and the Argo CD health script read.
	// ConditionStalled is True when the controller cannot make progress without a change by a person.
	ConditionStalled = "Stalled"
)
