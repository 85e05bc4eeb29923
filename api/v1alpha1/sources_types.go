package v1alpha1

// RegistrySource is one of the four registries a county compares (四源: 学籍、计生、户籍、国扶,
// policy 001) to find every school-age child, enrolled or not.
// +kubebuilder:validation:Enum=StudentRegistry;FamilyPlanning;Household;Poverty
type RegistrySource string

const (
	// SourceStudentRegistry is the national student registry (学籍): what `import registry` reads.
	SourceStudentRegistry RegistrySource = "StudentRegistry"
	// SourceFamilyPlanning is the family-planning (health commission) birth register (计生).
	SourceFamilyPlanning RegistrySource = "FamilyPlanning"
	// SourceHousehold is the public-security household register (户籍).
	SourceHousehold RegistrySource = "Household"
	// SourcePoverty is the national poverty-alleviation database of registered poor households
	// (国扶办, 建档立卡).
	SourcePoverty RegistrySource = "Poverty"
)

// Reasons of a Student's RegistryInconsistent condition found by comparing the registries (四查三比对).
const (
	// ReasonNotInStudentRegistry: a household or poverty extract lists a school-age child that no
	// school registered (失学); the Student was created from that extract.
	ReasonNotInStudentRegistry = "NotInStudentRegistry"
	// ReasonNotInHouseholdRegistry: the child is in the student registry, but the household
	// extract of its township does not list it: residence and identity are to be checked (人籍一致).
	ReasonNotInHouseholdRegistry = "NotInHouseholdRegistry"
)
