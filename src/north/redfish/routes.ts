/**
 * The one route list (bmcweb style): each resource file exports its routes with their
 * privilege entity; this file only gathers them.
 */
import type { RouteDef } from './http/route.js';
import { batteryMetricsRoutes } from './resources/battery-metrics.js';
import { batteryRoutes } from './resources/batteries.js';
import { chassisRoutes } from './resources/chassis.js';
import { controlRoutes } from './resources/controls.js';
import { environmentMetricsRoutes } from './resources/environment-metrics.js';
import { powerSubsystemRoutes } from './resources/power-subsystem.js';
import { powerSupplyMetricsRoutes } from './resources/power-supply-metrics.js';
import { powerSupplyRoutes } from './resources/power-supplies.js';
import { sensorRoutes } from './resources/sensors.js';
import { serviceRootRoutes } from './resources/service-root.js';
import { thermalRoutes } from './resources/thermal.js';
import { accountRoutes } from './resources/accounts.js';
import { certificateServiceRoutes } from './resources/certificate-service.js';
import { circuitRoutes } from './resources/circuits.js';
import { eventServiceRoutes } from './resources/event-service.js';
import { logServiceRoutes } from './resources/log-services.js';
import { managerRoutes } from './resources/managers.js';
import { networkRoutes } from './resources/network.js';
import { powerEquipmentRoutes } from './resources/power-equipment.js';
import { registryRoutes } from './resources/registries.js';
import { sessionRoutes } from './resources/sessions.js';
import { telemetryRoutes } from './resources/telemetry-service.js';
import { updateServiceRoutes } from './resources/update-service.js';

export const allRoutes: readonly RouteDef[] = [
  ...serviceRootRoutes,
  ...chassisRoutes,
  ...powerSubsystemRoutes,
  ...powerSupplyRoutes,
  ...powerSupplyMetricsRoutes,
  ...batteryRoutes,
  ...batteryMetricsRoutes,
  ...sensorRoutes,
  ...environmentMetricsRoutes,
  ...controlRoutes,
  ...thermalRoutes,
  ...powerEquipmentRoutes,
  ...circuitRoutes,
  ...managerRoutes,
  ...networkRoutes,
  ...logServiceRoutes,
  ...sessionRoutes,
  ...accountRoutes,
  ...eventServiceRoutes,
  ...telemetryRoutes,
  ...updateServiceRoutes,
  ...certificateServiceRoutes,
  ...registryRoutes,
];
