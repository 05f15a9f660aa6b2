/** The OCP Power Shelf part of the sample tree: the Chassis (physical) and PowerShelves (functional) views. */
import {
  CH,
  MGR,
  PS,
  V1,
  collection,
  link,
  reading,
  resource,
  status,
  type Put,
} from './tree-build.js';

export function putShelf(put: Put): void {
  // --- Power shelf: physical view -----------------------------------------------------------
  put(collection(`${V1}/Chassis`, 'ChassisCollection', 'Chassis', [CH]));
  put(
    resource(CH, '#Chassis.v1_28_0.Chassis', 'Power shelf 0', {
      ChassisType: 'PowerStrip',
      Manufacturer: 'Sim',
      Model: 'ORv3-HPR',
      PartNumber: 'SIM-HPR-33',
      SerialNumber: 'S0',
      UUID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      PowerState: 'On',
      Status: status,
      Location: { Placement: { Rack: 'R1' } },
      EnvironmentMetrics: link(`${CH}/EnvironmentMetrics`),
      PowerSubsystem: link(`${CH}/PowerSubsystem`),
      ThermalSubsystem: link(`${CH}/ThermalSubsystem`),
      Sensors: link(`${CH}/Sensors`),
      Links: { ManagedBy: [link(MGR)], PowerDistribution: link(PS) },
    }),
  );
  put(
    resource(
      `${CH}/EnvironmentMetrics`,
      '#EnvironmentMetrics.v1_5_0.EnvironmentMetrics',
      'Environment',
      {
        PowerWatts: reading(26400, `${CH}/Sensors/ShelfPower`),
        TemperatureCelsius: reading(31),
        PowerLimitWatts: {
          SetPoint: 30000,
          AllowableMin: 6000,
          AllowableMax: 33000,
          ControlMode: 'Automatic',
        },
      },
    ),
  );
  put(
    resource(`${CH}/ThermalSubsystem`, '#ThermalSubsystem.v1_5_0.ThermalSubsystem', 'Thermal', {
      Status: status,
      ThermalMetrics: link(`${CH}/ThermalSubsystem/ThermalMetrics`),
    }),
  );
  put(
    resource(
      `${CH}/ThermalSubsystem/ThermalMetrics`,
      '#ThermalMetrics.v1_3_2.ThermalMetrics',
      'Temperatures',
      {
        TemperatureReadingsCelsius: [{ DataSourceUri: `${CH}/Sensors/Inlet`, Reading: 31 }],
        TemperatureSummaryCelsius: { Ambient: reading(25), Internal: reading(31) },
      },
    ),
  );
  put(
    collection(`${CH}/Sensors`, 'SensorCollection', 'Sensors', [
      `${CH}/Sensors/ShelfPower`,
      `${CH}/Sensors/Inlet`,
    ]),
  );
  put(
    resource(`${CH}/Sensors/ShelfPower`, '#Sensor.v1_12_0.Sensor', 'Shelf output power', {
      ReadingType: 'Power',
      Reading: 26400,
      ReadingUnits: 'W',
      ReadingTime: '2025-01-01T00:00:00Z',
      SensingInterval: 'PT0.1S',
      ElectricalContext: 'Total',
      PeakReading: 27100,
      PeakReadingTime: '2025-01-01T00:00:00Z',
      Status: status,
    }),
  );
  put(
    resource(`${CH}/Sensors/Inlet`, '#Sensor.v1_12_0.Sensor', 'Inlet temperature', {
      ReadingType: 'Temperature',
      Reading: 31,
      ReadingUnits: 'Cel',
      ReadingTime: '2025-01-01T00:00:00Z',
      SensingInterval: 'PT1S',
      Status: status,
    }),
  );
  put(
    resource(`${CH}/PowerSubsystem`, '#PowerSubsystem.v1_1_3.PowerSubsystem', 'Power', {
      CapacityWatts: 33000,
      Status: status,
      PowerSupplies: link(`${CH}/PowerSubsystem/PowerSupplies`),
    }),
  );
  const PSU = `${CH}/PowerSubsystem/PowerSupplies/0`;
  put(collection(`${CH}/PowerSubsystem/PowerSupplies`, 'PowerSupplyCollection', 'PSUs', [PSU]));
  put(
    resource(PSU, '#PowerSupply.v1_6_0.PowerSupply', 'PSU 0', {
      FirmwareVersion: '1.0',
      InputNominalVoltageType: 'AC200To277V',
      LineInputStatus: 'Normal',
      Location: {
        PartLocation: { LocationOrdinalValue: 0, LocationType: 'Bay', ServiceLabel: 'PSU0' },
      },
      LocationIndicatorActive: false,
      Manufacturer: 'Sim',
      Model: 'HPR-PSU-5500',
      PartNumber: 'SIM-PSU',
      SerialNumber: 'P0',
      Version: 'A',
      ProductionDate: '2024-06-01T00:00:00Z',
      PowerCapacityWatts: 5500,
      PowerSupplyType: 'AC',
      OutputRails: [{ NominalVoltage: 50, PhysicalContext: 'PowerSubsystem' }],
      Status: status,
      Metrics: link(`${PSU}/Metrics`),
      Actions: { '#PowerSupply.Reset': { target: `${PSU}/Actions/PowerSupply.Reset` } },
    }),
  );
  put(
    resource(`${PSU}/Metrics`, '#PowerSupplyMetrics.v1_2_0.PowerSupplyMetrics', 'PSU 0 metrics', {
      Status: status,
      InputVoltage: reading(277),
      InputCurrentAmps: reading(16),
      InputPowerWatts: reading(4520),
      OutputPowerWatts: reading(4400),
      RailVoltage: [reading(50)],
      RailCurrentAmps: [reading(88)],
      RailPowerWatts: [reading(4400)],
      TemperatureCelsius: reading(38),
    }),
  );

  // --- Power shelf: functional view ---------------------------------------------------------
  put(
    resource(`${V1}/PowerEquipment`, '#PowerEquipment.v1_2_3.PowerEquipment', 'Power equipment', {
      PowerShelves: link(`${V1}/PowerEquipment/PowerShelves`),
    }),
  );
  put(
    collection(`${V1}/PowerEquipment/PowerShelves`, 'PowerDistributionCollection', 'Shelves', [PS]),
  );
  put(
    resource(PS, '#PowerDistribution.v1_6_0.PowerDistribution', 'Power shelf 0', {
      EquipmentType: 'PowerShelf',
      FirmwareVersion: '1.0',
      Manufacturer: 'Sim',
      Model: 'ORv3-HPR',
      PartNumber: 'SIM-HPR-33',
      SerialNumber: 'S0',
      UUID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      UserLabel: 'shelf 0',
      Status: status,
      Location: { Placement: { Rack: 'R1' } },
      Mains: link(`${PS}/Mains`),
      Branches: link(`${PS}/Branches`),
      Metrics: link(`${PS}/Metrics`),
      Links: { Chassis: [link(CH)], ManagedBy: [link(MGR)] },
    }),
  );
  put(
    resource(
      `${PS}/Metrics`,
      '#PowerDistributionMetrics.v1_4_0.PowerDistributionMetrics',
      'Shelf metrics',
      {
        PowerWatts: reading(26400),
        EnergykWh: reading(1234.5),
        TemperatureCelsius: reading(31),
        PowerLoadPercent: reading(80),
        Actions: {
          '#PowerDistributionMetrics.ResetMetrics': {
            target: `${PS}/Metrics/Actions/PowerDistributionMetrics.ResetMetrics`,
          },
        },
      },
    ),
  );
  put(collection(`${PS}/Mains`, 'CircuitCollection', 'Mains', [`${PS}/Mains/AC1`]));
  put(
    resource(`${PS}/Mains/AC1`, '#Circuit.v1_9_0.Circuit', 'AC input', {
      CircuitType: 'Mains',
      ElectricalContext: 'Line1',
      NominalVoltage: 'AC277V',
      PhaseWiringType: 'OnePhase3Wire',
      VoltageType: 'AC',
      RatedCurrentAmps: 125,
      PowerState: 'On',
      UserLabel: 'AC input',
      Status: status,
      CurrentAmps: reading(96),
      Voltage: reading(277),
      PowerWatts: reading(27000),
      EnergykWh: reading(1260),
      // The profile lists Links without a ReadRequirement: Mandatory, even with nothing in it.
      Links: {},
    }),
  );
  put(collection(`${PS}/Branches`, 'CircuitCollection', 'Branches', [`${PS}/Branches/Bus`]));
  put(
    resource(`${PS}/Branches/Bus`, '#Circuit.v1_9_0.Circuit', 'DC bus', {
      CircuitType: 'Branch',
      ElectricalContext: 'Total',
      NominalVoltage: 'DC48V',
      PhaseWiringType: 'OnePhase3Wire',
      VoltageType: 'DC',
      RatedCurrentAmps: 660,
      PowerRestorePolicy: 'AlwaysOn',
      PowerState: 'On',
      Status: status,
      CurrentAmps: reading(528),
      Voltage: reading(50),
      PowerWatts: reading(26400),
      EnergykWh: reading(1234.5),
      Links: {},
    }),
  );
}
