"""The dashboard's views (Contact Center > Bulk Operations), behind the admin site."""
