import {
  ApiOutlined,
  AuditOutlined,
  BuildOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  DatabaseOutlined,
  FileTextOutlined,
  ProjectOutlined,
  SwapOutlined,
  DesktopOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  SafetyOutlined,
  ShopOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  ContactsOutlined,
  ControlOutlined,
  DashboardOutlined,
  FundOutlined,
  InboxOutlined,
  NodeIndexOutlined,
  PartitionOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  SolutionOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  TrophyOutlined,
  WarningOutlined,
  NotificationOutlined,
  ReconciliationOutlined,
  SendOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { ComponentType, ReactNode } from 'react';
import type { Messages } from '../i18n/en.ts';
import type { IntegrationNavLabel } from '../i18n/integration.ts';
import type { OrderNavLabel } from '../i18n/orders.ts';
import type { ShopfloorNavLabel } from '../i18n/shopfloor.ts';

export type NavLabel = keyof Messages['nav'] | OrderNavLabel | ShopfloorNavLabel | IntegrationNavLabel;
/** Modules that have a description for the "coming soon" page. */
export type PlannedModule = keyof Messages['modules'];

export interface NavLeaf {
  /** Route path; also the menu key. */
  path: string;
  label: NavLabel;
  icon: ReactNode;
  /** Needed to see the entry and open the page. */
  permission?: string;
  /** The page does not exist yet: the route shows what the module will do. */
  planned?: PlannedModule;
  /** Loads the page (code-split); the router makes a route of every leaf that has one. */
  page?: () => Promise<ComponentType>;
  /** A route without a menu entry (a record's own page, e.g. `/production/work-orders/:id`). */
  hidden?: boolean;
}

export interface NavGroup {
  key: string;
  label: NavLabel;
  icon: ReactNode;
  children: NavLeaf[];
}

export type NavEntry = NavLeaf | NavGroup;

export function isGroup(entry: NavEntry): entry is NavGroup {
  return 'children' in entry;
}

/**
 * The side menu and the routes of modules that are not built yet come from this one list, so every
 * menu entry leads somewhere. Entries with a `permission` are hidden from users without it.
 */
export const NAVIGATION: NavEntry[] = [
  { path: '/', label: 'dashboard', icon: <DashboardOutlined /> },
  {
    path: '/sales/orders',
    label: 'sales',
    icon: <SolutionOutlined />,
    permission: 'sales:read',
    page: async () => (await import('../pages/sales/SalesOrdersPage.tsx')).SalesOrdersPage,
  },
  {
    path: '/sales/orders/:id',
    label: 'sales',
    icon: <SolutionOutlined />,
    permission: 'sales:read',
    hidden: true,
    page: async () => (await import('../pages/sales/SalesOrderDetailPage.tsx')).SalesOrderDetailPage,
  },
  {
    path: '/purchasing/orders',
    label: 'purchasing',
    icon: <ShoppingCartOutlined />,
    permission: 'purchasing:read',
    page: async () => (await import('../pages/purchasing/PurchaseOrdersPage.tsx')).PurchaseOrdersPage,
  },
  {
    path: '/purchasing/orders/:id',
    label: 'purchasing',
    icon: <ShoppingCartOutlined />,
    permission: 'purchasing:read',
    hidden: true,
    page: async () =>
      (await import('../pages/purchasing/PurchaseOrderDetailPage.tsx')).PurchaseOrderDetailPage,
  },
  {
    key: 'inventory',
    label: 'inventory',
    icon: <InboxOutlined />,
    children: [
      {
        path: '/inventory/balances',
        label: 'stockBalances',
        icon: <DatabaseOutlined />,
        permission: 'inventory:read',
        page: async () => (await import('../pages/inventory/BalancesPage.tsx')).BalancesPage,
      },
      {
        path: '/inventory/moves',
        label: 'stockMoves',
        icon: <SwapOutlined />,
        permission: 'inventory:read',
        page: async () => (await import('../pages/inventory/MovesPage.tsx')).MovesPage,
      },
      {
        path: '/inventory/counts',
        label: 'cycleCount',
        icon: <CarryOutOutlined />,
        permission: 'inventory:create',
        page: async () => (await import('../pages/inventory/CountPage.tsx')).CountPage,
      },
    ],
  },
  {
    key: 'production',
    label: 'productionGroup',
    icon: <ProfileOutlined />,
    children: [
      {
        path: '/production/work-orders',
        label: 'workOrders',
        icon: <FileTextOutlined />,
        permission: 'production:read',
        page: async () => (await import('../pages/production/WorkOrdersPage.tsx')).WorkOrdersPage,
      },
      {
        path: '/production/work-orders/:id',
        label: 'workOrders',
        icon: <FileTextOutlined />,
        permission: 'production:read',
        hidden: true,
        page: async () => (await import('../pages/production/WorkOrderDetailPage.tsx')).WorkOrderDetailPage,
      },
      {
        path: '/production/board',
        label: 'supervisorBoard',
        icon: <ProjectOutlined />,
        permission: 'production:read',
        page: async () => (await import('../pages/production/BoardPage.tsx')).BoardPage,
      },
    ],
  },
  {
    key: 'planning',
    label: 'planning',
    icon: <ScheduleOutlined />,
    children: [
      {
        path: '/planning/mrp',
        label: 'mrp',
        icon: <ScheduleOutlined />,
        permission: 'production:read',
        page: async () => (await import('../pages/planning/MrpPage.tsx')).MrpPage,
      },
      {
        path: '/planning/board',
        label: 'scheduling',
        icon: <ScheduleOutlined />,
        permission: 'scheduling:read',
        page: async () =>
          (await import('../pages/planning/board/SchedulingBoardPage.tsx')).SchedulingBoardPage,
      },
    ],
  },
  {
    key: 'shop-floor',
    label: 'shopFloor',
    icon: <ToolOutlined />,
    children: [
      {
        path: '/shop-floor/floor',
        label: 'floorMap',
        icon: <DesktopOutlined />,
        permission: 'shopfloor:read',
        page: async () => (await import('../pages/shopfloor/FloorMapPage.tsx')).FloorMapPage,
      },
      {
        path: '/shop-floor/exceptions',
        label: 'floorExceptions',
        icon: <WarningOutlined />,
        permission: 'shopfloor:read',
        page: async () => (await import('../pages/shopfloor/ExceptionsPage.tsx')).ExceptionsPage,
      },
      {
        path: '/shop-floor/pay',
        label: 'floorPay',
        icon: <TrophyOutlined />,
        permission: 'production:read',
        page: async () => (await import('../pages/shopfloor/PayPage.tsx')).PayPage,
      },
    ],
  },
  {
    path: '/quality',
    label: 'quality',
    icon: <SafetyCertificateOutlined />,
    permission: 'quality:read',
    page: async () => (await import('../pages/quality/QualityPage.tsx')).QualityPage,
  },
  {
    key: 'master-data',
    label: 'masterData',
    icon: <AppstoreOutlined />,
    children: [
      {
        path: '/master-data/items',
        label: 'items',
        icon: <TagsOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/items/ItemsPage.tsx')).ItemsPage,
      },
      {
        path: '/master-data/customers',
        label: 'customers',
        icon: <ContactsOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/PartnersPages.tsx')).CustomersPage,
      },
      {
        path: '/master-data/suppliers',
        label: 'suppliers',
        icon: <ShopOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/PartnersPages.tsx')).SuppliersPage,
      },
      {
        path: '/master-data/warehouses',
        label: 'warehouses',
        icon: <HomeOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ResourcePages.tsx')).WarehousesPage,
      },
      {
        path: '/master-data/employees',
        label: 'employees',
        icon: <IdcardOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ResourcePages.tsx')).EmployeesPage,
      },
      {
        path: '/master-data/tools',
        label: 'tools',
        icon: <BuildOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ResourcePages.tsx')).ToolsPage,
      },
      {
        path: '/master-data/boms',
        label: 'boms',
        icon: <PartitionOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/BomsPage.tsx')).BomsPage,
      },
      {
        path: '/master-data/routings',
        label: 'routings',
        icon: <NodeIndexOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/RoutingsPage.tsx')).RoutingsPage,
      },
      {
        path: '/master-data/work-centers',
        label: 'workCenters',
        icon: <ControlOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ManufacturingPages.tsx')).WorkCentersPage,
      },
      {
        path: '/master-data/machines',
        label: 'machines',
        icon: <DesktopOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ManufacturingPages.tsx')).MachinesPage,
      },
      {
        path: '/master-data/calendars',
        label: 'calendars',
        icon: <CalendarOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/ManufacturingPages.tsx')).CalendarsPage,
      },
      {
        path: '/master-data/quality',
        label: 'dataQuality',
        icon: <ControlOutlined />,
        permission: 'masterdata:read',
        page: async () => (await import('../pages/masterdata/DataQualityPage.tsx')).DataQualityPage,
      },
      {
        path: '/master-data/custom-fields',
        label: 'customFields',
        icon: <TagsOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/masterdata/CustomFieldsPage.tsx')).CustomFieldsPage,
      },
    ],
  },
  {
    key: 'integration',
    label: 'integration',
    icon: <ApiOutlined />,
    children: [
      {
        path: '/integration/monitor',
        label: 'integrationMonitor',
        icon: <DashboardOutlined />,
        permission: 'integration:read',
        page: async () => (await import('../pages/integration/MonitorPage.tsx')).MonitorPage,
      },
      {
        path: '/integration/webhooks',
        label: 'webhooks',
        icon: <SendOutlined />,
        permission: 'integration:read',
        page: async () => (await import('../pages/integration/WebhooksPage.tsx')).WebhooksPage,
      },
      {
        path: '/integration/requests',
        label: 'requestLog',
        icon: <UnorderedListOutlined />,
        permission: 'integration:read',
        page: async () => (await import('../pages/integration/RequestLogPage.tsx')).RequestLogPage,
      },
      {
        path: '/integration/reconciliation',
        label: 'reconciliation',
        icon: <ReconciliationOutlined />,
        permission: 'integration:read',
        page: async () => (await import('../pages/integration/ReconciliationPage.tsx')).ReconciliationPage,
      },
      {
        path: '/integration/alerts',
        label: 'alertChannels',
        icon: <NotificationOutlined />,
        permission: 'integration:read',
        page: async () => (await import('../pages/integration/AlertsPage.tsx')).AlertsPage,
      },
    ],
  },
  {
    path: '/reports',
    label: 'reports',
    icon: <BarChartOutlined />,
    permission: 'reports:read',
    page: async () => (await import('../pages/reports/ReportsPage.tsx')).ReportsPage,
  },
  {
    key: 'admin',
    label: 'admin',
    icon: <SettingOutlined />,
    children: [
      {
        path: '/admin/users',
        label: 'users',
        icon: <TeamOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/admin/UsersPage.tsx')).UsersPage,
      },
      {
        path: '/admin/roles',
        label: 'roles',
        icon: <SafetyOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/admin/RolesPage.tsx')).RolesPage,
      },
      {
        path: '/admin/tokens',
        label: 'tokens',
        icon: <KeyOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/admin/TokensPage.tsx')).TokensPage,
      },
      {
        path: '/admin/audit',
        label: 'audit',
        icon: <AuditOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/admin/AuditPage.tsx')).AuditPage,
      },
      {
        path: '/admin/jobs',
        label: 'jobs',
        icon: <ThunderboltOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/jobs/JobsPage.tsx')).JobsPage,
      },
      {
        path: '/admin/performance',
        label: 'performance',
        icon: <FundOutlined />,
        permission: 'admin:read',
        page: async () => (await import('../pages/admin/PerformancePage.tsx')).PerformancePage,
      },
    ],
  },
];

export function allLeaves(entries: NavEntry[] = NAVIGATION): NavLeaf[] {
  return entries.flatMap((e) => (isGroup(e) ? e.children : [e]));
}

/** The navigation this user may see: leaves they lack the permission for, and groups left empty, are dropped. */
export function visibleNavigation(can: (permission: string) => boolean): NavEntry[] {
  const allowed = (leaf: NavLeaf) => !leaf.hidden && (!leaf.permission || can(leaf.permission));
  return NAVIGATION.flatMap((entry): NavEntry[] => {
    if (!isGroup(entry)) return allowed(entry) ? [entry] : [];
    const children = entry.children.filter(allowed);
    return children.length ? [{ ...entry, children }] : [];
  });
}

/** The entry a path belongs to: the longest matching entry path. */
export function matchNavigation(pathname: string): { leaf: NavLeaf; group: NavGroup | null } | null {
  let best: { leaf: NavLeaf; group: NavGroup | null } | null = null;
  const consider = (leaf: NavLeaf, group: NavGroup | null) => {
    const hit =
      leaf.path === '/' ? pathname === '/' : pathname === leaf.path || pathname.startsWith(`${leaf.path}/`);
    if (hit && (!best || leaf.path.length > best.leaf.path.length)) best = { leaf, group };
  };
  for (const entry of NAVIGATION) {
    if (isGroup(entry)) {
      for (const leaf of entry.children) if (!leaf.hidden) consider(leaf, entry);
    } else if (!entry.hidden) {
      consider(entry, null);
    }
  }
  return best;
}
