import { DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SheetFormat } from '../api/sheets.ts';
import { useMediaQuery } from '../hooks/useMediaQuery.ts';

const FORMATS: readonly SheetFormat[] = ['xlsx', 'csv'];

/**
 * The Export button of a list: a menu of Excel (.xlsx) and CSV links, each `url(format)` (the list's
 * current filters, built by its api module). The server streams the file as a download. On a phone
 * the button shows its icon only. Test ids: `testId` on the button, `${testId}-xlsx` / `-csv` on the links.
 */
export function ExportMenu({
  url,
  testId = 'export-menu',
}: {
  url: (format: SheetFormat) => string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const phone = !useMediaQuery('(min-width: 768px)');
  const label = t('common.export.label');
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: FORMATS.map((format) => ({
          key: format,
          label: (
            <a href={url(format)} download data-testid={`${testId}-${format}`}>
              {t(`common.export.${format}`)}
            </a>
          ),
        })),
      }}
    >
      <Button
        icon={<DownloadOutlined />}
        aria-label={label}
        title={t('common.export.hint')}
        data-testid={testId}
      >
        {phone ? null : label}
      </Button>
    </Dropdown>
  );
}
