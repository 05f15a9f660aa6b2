/**
 * The parts of a Redfish Interoperability Profile (DSP0272, RedfishInteroperabilityProfile
 * v1_7_0) that a read-only check can evaluate. Absent ReadRequirement means Mandatory.
 */

export type ReadRequirement =
  | 'Mandatory'
  | 'Supported'
  | 'Recommended'
  | 'IfImplemented'
  | 'IfPopulated'
  | 'Conditional'
  | 'None';

export type Comparison =
  | 'Absent'
  | 'Present'
  | 'AnyOf'
  | 'AllOf'
  | 'Equal'
  | 'NotEqual'
  | 'GreaterThan'
  | 'GreaterThanOrEqual'
  | 'LessThan'
  | 'LessThanOrEqual'
  | 'LinkToResource';

export interface ConditionalRequirement {
  readonly Purpose?: string;
  readonly ReadRequirement?: ReadRequirement;
  readonly WriteRequirement?: ReadRequirement;
  readonly CompareProperty?: string;
  readonly CompareType?: Comparison;
  readonly CompareValues?: readonly unknown[];
  readonly SubordinateToResource?: readonly string[];
  readonly Comparison?: Comparison;
  readonly Values?: readonly unknown[];
}

export interface PropertyRequirement {
  readonly Purpose?: string;
  readonly ReadRequirement?: ReadRequirement;
  readonly WriteRequirement?: ReadRequirement;
  readonly MinCount?: number;
  readonly Comparison?: Comparison;
  readonly Values?: readonly unknown[];
  readonly ConditionalRequirements?: readonly ConditionalRequirement[];
  readonly PropertyRequirements?: Readonly<Record<string, PropertyRequirement>>;
}

export interface ParameterRequirement {
  readonly ReadRequirement?: ReadRequirement;
  readonly ParameterValues?: readonly string[];
  readonly RecommendedValues?: readonly string[];
}

export interface ActionRequirement {
  readonly Purpose?: string;
  readonly ReadRequirement?: ReadRequirement;
  readonly ActionInfo?: ReadRequirement;
  readonly Parameters?: Readonly<Record<string, ParameterRequirement>>;
}

export interface RequirementSet {
  readonly ReadRequirement?: ReadRequirement;
  readonly URIs?: readonly string[];
  readonly MinVersion?: string;
  readonly PropertyRequirements?: Readonly<Record<string, PropertyRequirement>>;
  readonly ActionRequirements?: Readonly<Record<string, ActionRequirement>>;
  readonly ConditionalRequirements?: readonly ConditionalRequirement[];
  readonly CreateResource?: boolean;
  readonly DeleteResource?: boolean;
  readonly UpdateResource?: boolean;
}

export interface UseCase extends RequirementSet {
  readonly UseCaseTitle?: string;
  readonly UseCaseType?: string;
  readonly UseCaseKeyProperty?: string;
  readonly UseCaseKeyValues?: readonly unknown[];
  readonly UseCaseComparison?: Comparison;
}

export interface ResourceRequirement extends RequirementSet {
  readonly Purpose?: string;
  readonly UseCases?: readonly UseCase[];
}

export interface ProfileJson {
  readonly SchemaDefinition?: string;
  readonly ProfileName: string;
  readonly ProfileVersion: string;
  readonly RequiredProfiles?: Readonly<
    Record<string, { MinVersion?: string; Repository?: string }>
  >;
  readonly Protocol?: Readonly<Record<string, string>>;
  readonly Resources?: Readonly<Record<string, ResourceRequirement>>;
}

export interface Profile {
  /** `OCPPowerShelfManagement` as RequiredProfiles names it (the file name's stem). */
  readonly name: string;
  readonly file: string;
  readonly json: ProfileJson;
}
