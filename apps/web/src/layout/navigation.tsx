import {
  ApiOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  ContactsOutlined,
  ControlOutlined,
  DashboardOutlined,
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
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Messages } from '../i18n/en.ts';

export type NavLabel = keyof Messages['nav'];
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
  { path: '/sales', label: 'sales', icon: <SolutionOutlined />, permission: 'sales:read', planned: 'sales' },
  {
    path: '/purchasing',
    label: 'purchasing',
    icon: <ShoppingCartOutlined />,
    permission: 'purchasing:read',
    planned: 'purchasing',
  },
  {
    path: '/inventory',
    label: 'inventory',
    icon: <InboxOutlined />,
    permission: 'inventory:read',
    planned: 'inventory',
  },
  {
    path: '/production',
    label: 'production',
    icon: <ProfileOutlined />,
    permission: 'production:read',
    planned: 'production',
  },
  {
    path: '/planning',
    label: 'planning',
    icon: <ScheduleOutlined />,
    permission: 'scheduling:read',
    planned: 'planning',
  },
  {
    path: '/shop-floor',
    label: 'shopFloor',
    icon: <ToolOutlined />,
    permission: 'shopfloor:read',
    planned: 'shopFloor',
  },
  {
    path: '/quality',
    label: 'quality',
    icon: <SafetyCertificateOutlined />,
    permission: 'quality:read',
    planned: 'quality',
  },
  {
    key: 'master-data',
    label: 'masterData',
    icon: <AppstoreOutlined />,
    children: [
      { path: '/master-data/items', label: 'items', icon: <TagsOutlined />, permission: 'masterdata:read' },
      {
        path: '/master-data/boms',
        label: 'boms',
        icon: <PartitionOutlined />,
        permission: 'masterdata:read',
        planned: 'boms',
      },
      {
        path: '/master-data/routings',
        label: 'routings',
        icon: <NodeIndexOutlined />,
        permission: 'masterdata:read',
        planned: 'routings',
      },
      {
        path: '/master-data/work-centers',
        label: 'workCenters',
        icon: <ControlOutlined />,
        permission: 'masterdata:read',
        planned: 'workCenters',
      },
      {
        path: '/master-data/partners',
        label: 'partners',
        icon: <ContactsOutlined />,
        permission: 'masterdata:read',
        planned: 'partners',
      },
    ],
  },
  {
    path: '/integration',
    label: 'integration',
    icon: <ApiOutlined />,
    permission: 'integration:read',
    planned: 'integration',
  },
  {
    path: '/reports',
    label: 'reports',
    icon: <BarChartOutlined />,
    permission: 'reports:read',
    planned: 'reports',
  },
  {
    key: 'admin',
    label: 'admin',
    icon: <SettingOutlined />,
    children: [
      { path: '/admin/jobs', label: 'jobs', icon: <ThunderboltOutlined />, permission: 'admin:read' },
      {
        path: '/admin/users',
        label: 'users',
        icon: <TeamOutlined />,
        permission: 'admin:read',
        planned: 'users',
      },
    ],
  },
];

export function allLeaves(entries: NavEntry[] = NAVIGATION): NavLeaf[] {
  return entries.flatMap((e) => (isGroup(e) ? e.children : [e]));
}

/** The navigation this user may see: leaves they lack the permission for, and groups left empty, are dropped. */
export function visibleNavigation(can: (permission: string) => boolean): NavEntry[] {
  const allowed = (leaf: NavLeaf) => !leaf.permission || can(leaf.permission);
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
    if (isGroup(entry)) for (const leaf of entry.children) consider(leaf, entry);
    else consider(entry, null);
  }
  return best;
}
