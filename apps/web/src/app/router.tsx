import { createBrowserRouter, Outlet, type RouteObject } from 'react-router';
import { RequireAuth } from '../auth/RequireAuth.tsx';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { allLeaves } from '../layout/navigation.tsx';
import { RequirePermission } from '../pages/ForbiddenPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { RouteErrorPage } from '../pages/RouteErrorPage.tsx';
import { AuthGate } from './AuthGate.tsx';

/** Routes of modules not built yet, straight from the navigation list: each explains what is coming. */
const plannedRoutes: RouteObject[] = allLeaves()
  .filter((leaf) => leaf.planned)
  .map((leaf) => {
    const planned = leaf.planned!;
    return {
      path: leaf.path,
      lazy: async () => {
        const { ComingSoonPage } = await import('../pages/ComingSoonPage.tsx');
        const page = <ComingSoonPage module={planned} label={leaf.label} />;
        return {
          element: leaf.permission ? (
            <RequirePermission permission={leaf.permission}>{page}</RequirePermission>
          ) : (
            page
          ),
        };
      },
    };
  });

export const routes: RouteObject[] = [
  {
    element: <AuthGate />,
    errorElement: <RouteErrorPage />,
    // shown while the first page's code loads
    HydrateFallback: FullPageSpin,
    children: [
      {
        path: '/login',
        lazy: async () => ({ Component: (await import('../pages/LoginPage.tsx')).LoginPage }),
      },
      {
        path: '/',
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [
          {
            // The shell is loaded only once signed in, so the login page stays small.
            lazy: async () => ({ Component: (await import('../layout/AppLayout.tsx')).AppLayout }),
            children: [
              {
                // Errors inside a page keep the header and menu on screen.
                errorElement: <RouteErrorPage />,
                children: [
                  {
                    index: true,
                    lazy: async () => ({
                      Component: (await import('../pages/DashboardPage.tsx')).DashboardPage,
                    }),
                  },
                  {
                    path: 'master-data/items',
                    lazy: async () => {
                      const { ItemsPage } = await import('../pages/items/ItemsPage.tsx');
                      return {
                        element: (
                          <RequirePermission permission="masterdata:read">
                            <ItemsPage />
                          </RequirePermission>
                        ),
                      };
                    },
                  },
                  {
                    path: 'admin/jobs',
                    lazy: async () => {
                      const { JobsPage } = await import('../pages/jobs/JobsPage.tsx');
                      return {
                        element: (
                          <RequirePermission permission="admin:read">
                            <JobsPage />
                          </RequirePermission>
                        ),
                      };
                    },
                  },
                  ...plannedRoutes,
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
