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

/** Routes of the pages that exist, straight from the navigation list. */
const pageRoutes: RouteObject[] = allLeaves()
  .filter((leaf) => leaf.page && !leaf.planned)
  .map((leaf) => ({
    path: leaf.path.slice(1),
    lazy: async () => {
      const Page = await leaf.page!();
      return {
        element: leaf.permission ? (
          <RequirePermission permission={leaf.permission}>
            <Page />
          </RequirePermission>
        ) : (
          <Page />
        ),
      };
    },
  }));

export const routes: RouteObject[] = [
  // The shop-floor terminal: its own badge sign-in and screens, outside the office shell and its gate.
  {
    path: '/terminal/*',
    HydrateFallback: FullPageSpin,
    lazy: async () => ({ Component: (await import('../terminal/TerminalApp.tsx')).TerminalApp }),
  },
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
                    path: 'profile',
                    lazy: async () => ({ Component: (await import('../pages/ProfilePage.tsx')).ProfilePage }),
                  },
                  ...pageRoutes,
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
