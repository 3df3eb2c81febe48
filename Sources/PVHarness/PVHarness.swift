enum PVHarnessModule {}
